import { sleepUnlessAborted } from '@chatops/core';
import mattermostClient from '@mattermost/client';
import { ErrorAnswers } from './error-answers.js';

const { Client4, ClientError } = mattermostClient;

type Client4Instance = InstanceType<typeof Client4>;

/** The official REST client, with its calls retried on 429 (see {@link createRestClient}). */
export type RestClient = Client4Instance & {
  /** Stops watching answers; the client stays usable without 429 waits. */
  close(): void;
};

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

/**
 * Client4 with each public call retried around, not inside: a call that fails with 429 waits for
 * `Retry-After` (else `X-RateLimit-Reset`, else exponential) and is made again. Client4 keeps neither the
 * HTTP status nor the headers of a failed answer (a 429 is plain text, not AppError JSON), so those come
 * from Node's public `undici:request:headers` diagnostics channel, for this server's origin only.
 * Failures become {@link MattermostApiError}s with their status.
 */
export function createRestClient(
  url: string,
  token: string,
  policy: RetryPolicy,
  client: Client4Instance = new Client4(),
): RestClient {
  client.setUrl(url);
  client.setToken(token);
  client.setUserAgent('chatops-adapter-mattermost');
  client.setIncludeCookies(false);
  const answers = new ErrorAnswers(new URL(url).origin);
  const retrying = async <T>(call: () => Promise<T>, first: Promise<T>): Promise<T> => {
    let pending = first;
    for (let attempt = 0; ; attempt++) {
      try {
        return await pending;
      } catch (error) {
        const failure = toApiError(error, answers);
        if (failure.status === 429 && attempt < policy.retries && !policy.signal.aborted) {
          const waitMs = retryDelay(answers.headersOf(failure.url), attempt, policy.maxWaitMs);
          policy.onRateLimited(waitMs, failure.url);
          await sleepUnlessAborted(waitMs, policy.signal);
          pending = call();
          continue;
        }
        throw failure;
      }
    }
  };
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === 'close') return () => answers.close();
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const call = () => Reflect.apply(value, target, args) as unknown;
        const result = call();
        return result instanceof Promise ? retrying(call as () => Promise<unknown>, result) : result;
      };
    },
  }) as RestClient;
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

/** A Client4 failure with its status: from the AppError body, else from the answer seen on the wire. */
function toApiError(error: unknown, answers: ErrorAnswers): MattermostApiError {
  if (!(error instanceof ClientError)) throw error;
  const path = pathOf(error.url ?? '');
  const status = Number(error.status_code) || answers.statusOf(path) || 0;
  const message = error.message || (status ? `HTTP ${status}` : 'request failed');
  return new MattermostApiError(status, error.server_error_id || undefined, message, path);
}

/** The path of a request URL: what logs and errors show (never a query string with secrets). */
function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url.split('?')[0] ?? url;
  }
}
