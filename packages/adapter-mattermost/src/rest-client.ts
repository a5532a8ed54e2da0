import mattermostClient from '@mattermost/client';

const { Client4 } = mattermostClient;

/** The official REST client. */
export type RestClient = InstanceType<typeof Client4>;

/** A failed REST call, with the HTTP status Client4 does not keep. */
export class MattermostApiError extends Error {
  constructor(
    readonly status: number,
    /** The AppError id, e.g. `api.post.create_post.root_id.app_error`. */
    readonly id: string | undefined,
    message: string,
    readonly url: string,
  ) {
    super(message);
    this.name = 'MattermostApiError';
  }
}

/** How 429 answers are retried. */
export interface RetryPolicy {
  retries: number;
  maxWaitMs: number;
  /** Aborts waits (shutdown). */
  signal: AbortSignal;
  onRateLimited(waitMs: number, url: string): void;
}

interface FetchResult {
  response: Response;
  data: unknown;
}
type DoFetchWithResponse = (
  url: string,
  options: RequestInit & { ignoreStatus?: boolean },
) => Promise<FetchResult>;

/**
 * A Client4 whose requests wait out 429s: Client4 drops the HTTP status and the plain-text 429 body has
 * no `status_code`, so its fetch helper is wrapped to see the status and honour `Retry-After`.
 */
export function createRestClient(url: string, token: string, policy: RetryPolicy): RestClient {
  const client = new Client4();
  client.setUrl(url);
  client.setToken(token);
  client.setUserAgent('chatops-adapter-mattermost');
  client.setIncludeCookies(false);
  const internals = client as unknown as { doFetchWithResponse: DoFetchWithResponse };
  const original = internals.doFetchWithResponse;
  internals.doFetchWithResponse = async (requestUrl, options) => {
    for (let attempt = 0; ; attempt++) {
      const result = await original(requestUrl, { ...options, ignoreStatus: true });
      if (result.response.ok || options.ignoreStatus) return result;
      if (result.response.status === 429 && attempt < policy.retries && !policy.signal.aborted) {
        const waitMs = retryDelay(result.response.headers, attempt, policy.maxWaitMs);
        policy.onRateLimited(waitMs, pathOf(requestUrl));
        await sleep(waitMs, policy.signal);
        continue;
      }
      throw apiError(result, requestUrl);
    }
  };
  return client;
}

/** `Retry-After` (seconds or an HTTP date), else `X-RateLimit-Reset` (seconds), else exponential; capped. */
export function retryDelay(headers: Headers, attempt: number, maxWaitMs: number): number {
  const retryAfter = headers.get('retry-after');
  const reset = headers.get('x-ratelimit-reset');
  let waitMs = 2 ** attempt * 1000;
  if (retryAfter && /^\d+$/.test(retryAfter.trim())) waitMs = Number(retryAfter) * 1000;
  else if (retryAfter && !Number.isNaN(Date.parse(retryAfter))) waitMs = Date.parse(retryAfter) - Date.now();
  else if (reset && /^\d+$/.test(reset.trim())) waitMs = Number(reset) * 1000;
  // A little jitter so replicas limited together do not retry together.
  return Math.min(Math.max(waitMs, 0) + Math.floor(Math.random() * 250), maxWaitMs);
}

function apiError(result: FetchResult, url: string): MattermostApiError {
  const status = result.response.status;
  const data = result.data as { id?: unknown; message?: unknown } | string | undefined;
  const body = typeof data === 'object' && data !== null ? data : {};
  const message = typeof body.message === 'string' && body.message ? body.message : `HTTP ${status}`;
  return new MattermostApiError(
    status,
    typeof body.id === 'string' ? body.id : undefined,
    message,
    pathOf(url),
  );
}

/** The path of a request URL: what logs and errors show (never a query string with secrets). */
function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
