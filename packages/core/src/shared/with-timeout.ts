/** What {@link withTimeout} resolves with: the work's value, or that time ran out first. */
export type TimeoutResult<T> = { done: true; value: T } | { done: false };

/** Options of {@link withTimeout}. */
export interface WithTimeoutOptions {
  /** Do not keep the process alive just for this timer. */
  unref?: boolean;
}

/**
 * Waits for `work` at most `ms` milliseconds. Resolves with `{ done: true, value }` when it settles in
 * time, `{ done: false }` otherwise; the work itself carries on (pass it an AbortSignal to stop it). A
 * rejection of `work` within the time rejects. The timer is cleared either way.
 *
 * @example
 * const result = await withTimeout(host.receive(incoming), 2500);
 * if (!result.done) return acknowledgeLater();
 * // Bounded wait for many promises:
 * await withTimeout(Promise.allSettled(inFlight), 10_000);
 */
export function withTimeout<T>(
  work: PromiseLike<T>,
  ms: number,
  options: WithTimeoutOptions = {},
): Promise<TimeoutResult<T>> {
  // One promise and one timer: this sits on every request's path (the handler timeout).
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve({ done: false }), ms);
    if (options.unref) timer.unref();
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve({ done: true, value });
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
