import { createHmac } from 'node:crypto';

/** Computes Slack's `X-Slack-Signature` (`v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<body>`). */
export function signSlackRequest(signingSecret: string, timestamp: number | string, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** Ways to send a request the way Slack would not (for rejection tests), and retry headers. */
export interface HttpSendOptions {
  /** `X-Slack-Retry-Num` (1..3 on redeliveries). */
  retryNum?: number;
  /** `X-Slack-Retry-Reason`, default `http_timeout` when `retryNum` is set. */
  retryReason?: string;
  /** Epoch seconds to sign with; default now. */
  timestamp?: number;
  /** Replaces the computed signature. */
  signature?: string;
  /** Leaves out `X-Slack-Signature`. */
  omitSignature?: boolean;
  /** Leaves out `X-Slack-Request-Timestamp`. */
  omitTimestamp?: boolean;
  /** Changes the body after signing it. */
  tamper?: (body: string) => string;
}

/** What the app answered. */
export interface HttpSendResult {
  status: number;
  body: string;
  contentType: string | null;
}

/** Paths of the app's endpoints (Request URLs in the app config). */
export interface HttpModePaths {
  events: string;
  commands: string;
  actions: string;
}

/** Sends signed Events API, slash command and interactivity requests to an app, as Slack does. */
export class SlackHttpModeClient {
  readonly paths: HttpModePaths;

  constructor(
    private readonly options: { baseUrl: string; signingSecret: string; paths?: Partial<HttpModePaths> },
  ) {
    this.paths = {
      events: '/slack/events',
      commands: '/slack/commands',
      actions: '/slack/actions',
      ...options.paths,
    };
  }

  /** POSTs an Events API payload (JSON). */
  sendEvent(payload: Record<string, unknown>, options: HttpSendOptions = {}): Promise<HttpSendResult> {
    return this.send(this.paths.events, JSON.stringify(payload), 'application/json', options);
  }

  /** POSTs slash command fields (form-encoded). */
  sendCommand(fields: Record<string, string>, options: HttpSendOptions = {}): Promise<HttpSendResult> {
    const body = new URLSearchParams(fields).toString();
    return this.send(this.paths.commands, body, 'application/x-www-form-urlencoded', options);
  }

  /** POSTs an interactivity payload (form-encoded `payload=<json>`). */
  sendAction(payload: Record<string, unknown>, options: HttpSendOptions = {}): Promise<HttpSendResult> {
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return this.send(this.paths.actions, body, 'application/x-www-form-urlencoded', options);
  }

  /** POSTs any body to `path`, signed. */
  async send(
    path: string,
    body: string,
    contentType: string,
    options: HttpSendOptions = {},
  ): Promise<HttpSendResult> {
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      'content-type': contentType,
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    };
    if (!options.omitTimestamp) headers['x-slack-request-timestamp'] = String(timestamp);
    if (!options.omitSignature) {
      headers['x-slack-signature'] =
        options.signature ?? signSlackRequest(this.options.signingSecret, timestamp, body);
    }
    if (options.retryNum !== undefined) {
      headers['x-slack-retry-num'] = String(options.retryNum);
      headers['x-slack-retry-reason'] = options.retryReason ?? 'http_timeout';
    }
    const sent = options.tamper ? options.tamper(body) : body;
    const response = await fetch(new URL(path, this.options.baseUrl), {
      method: 'POST',
      headers,
      body: sent,
      signal: AbortSignal.timeout(10_000),
    });
    return {
      status: response.status,
      body: await response.text(),
      contentType: response.headers.get('content-type'),
    };
  }
}
