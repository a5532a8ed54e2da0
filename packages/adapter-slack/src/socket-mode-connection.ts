import { backoffDelay, sleepUnlessAborted } from '@chatops/core';
import { SocketModeClient } from '@slack/socket-mode';
import type { SlackConfig } from './config.js';
import type { PayloadHandler, PayloadKind } from './event-receiver.js';
import type { Logger } from './logger.js';
import { sdkLogger } from './sdk-logger.js';
import { slackError } from './slack-error.js';

const MAX_RECONNECT_DELAY_MS = 30_000;
const KINDS = new Set<string>(['events_api', 'slash_commands', 'interactive']);

interface Envelope {
  ack: () => Promise<void>;
  type: string;
  body: Record<string, unknown>;
  retry_num?: number;
  retry_reason?: string;
}

/**
 * The Socket Mode connection: receives envelopes and acknowledges each once the robot has accepted it,
 * which is at once (handlers run afterwards, so a slow handler never delays an ack) unless the robot's
 * intake is durable: then an event is acked after it is in the shared stream, or after
 * the receiver's time bound (Slack redelivers an unacked envelope, and the robot drops the duplicate by its
 * event id). The client's own reconnect is off: this connection reconnects on `disconnect` frames and
 * dropped sockets itself, with backoff, so a failing reconnect is retried and logged rather than
 * surfacing as an unhandled rejection.
 */
export class SocketModeConnection {
  private readonly client: SocketModeClient;
  private ready = false;
  private stopping = new AbortController();
  private connecting = false;

  constructor(
    private readonly config: SlackConfig,
    private readonly log: Logger,
    private readonly onPayload: PayloadHandler,
    private readonly onReadyChange: (ready: boolean) => void,
  ) {
    this.client = new SocketModeClient({
      appToken: config.appToken!,
      autoReconnectEnabled: false,
      clientPingTimeout: config.pingTimeout,
      logger: sdkLogger(log.child({ component: 'slack-socket-mode' })),
      clientOptions: {
        slackApiUrl: config.apiUrl,
        retryConfig: {
          retries: 3,
          factor: 2,
          minTimeout: config.reconnectDelay,
          maxTimeout: MAX_RECONNECT_DELAY_MS,
        },
      },
    });
    this.client.on('slack_event', (envelope: Envelope) => void this.onEnvelope(envelope));
    this.client.on('connected', () => this.setReady(true));
    this.client.on('disconnected', () => {
      this.setReady(false);
      if (!this.stopping.signal.aborted && !this.connecting) void this.reconnect();
    });
  }

  /** Opens the first connection; rejects with a one-line reason (bad app token, unreachable API). */
  async start(): Promise<void> {
    this.stopping = new AbortController();
    this.connecting = true;
    try {
      await this.client.start();
    } catch (error) {
      const reason = slackError(error);
      throw new Error(
        /invalid_auth|not_authed|not_allowed_token_type|token/.test(reason)
          ? `slack.appToken was refused by Slack (${reason}); it must be an app-level token with connections:write`
          : `could not open a Slack Socket Mode connection via ${this.config.apiUrl} (${reason})`,
      );
    } finally {
      this.connecting = false;
    }
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.client.disconnect();
    this.setReady(false);
  }

  isReady(): boolean {
    return this.ready;
  }

  private async onEnvelope(envelope: Envelope): Promise<void> {
    if (!KINDS.has(envelope.type)) return;
    const accepted = this.onPayload(envelope.type as PayloadKind, envelope.body, {
      ...(envelope.retry_num !== undefined ? { retryNum: envelope.retry_num } : {}),
      ...(envelope.retry_reason ? { retryReason: envelope.retry_reason } : {}),
    });
    await accepted;
    try {
      await envelope.ack();
    } catch (error) {
      // Slack will redeliver; the robot drops the duplicate by its event id.
      this.log.warn({ error: slackError(error) }, 'could not acknowledge a Socket Mode envelope');
    }
  }

  private async reconnect(): Promise<void> {
    this.connecting = true;
    const stopping = this.stopping.signal;
    try {
      // The first attempt goes at once; the later ones back off.
      for (let attempt = 1; !stopping.aborted; attempt += 1) {
        try {
          this.log.info({ attempt }, 'reconnecting to Slack Socket Mode');
          await this.client.start();
          this.log.info('reconnected to Slack Socket Mode');
          return;
        } catch (error) {
          const delay = backoffDelay(attempt - 1, this.config.reconnectDelay, MAX_RECONNECT_DELAY_MS);
          this.log.warn(
            { attempt, error: slackError(error), retryInMs: delay },
            'Socket Mode reconnect failed',
          );
          await sleepUnlessAborted(delay, stopping);
        }
      }
    } finally {
      this.connecting = false;
    }
  }

  private setReady(ready: boolean): void {
    if (this.ready === ready) return;
    this.ready = ready;
    this.onReadyChange(ready);
  }
}
