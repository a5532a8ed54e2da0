import { setTimeout as delay } from 'node:timers/promises';

/**
 * How long to wait before retry number `attempt` (0 for the first retry): exponential from `minMs`,
 * capped at `maxMs`, with "equal jitter" (half of it fixed, half random) so that clients that failed
 * together do not all come back at the same moment.
 *
 * @example
 * for (let attempt = 0; !signal.aborted; attempt++) {
 *   if (await connect().then(() => true, () => false)) break;
 *   await sleepUnlessAborted(backoffDelay(attempt, 1000, 30_000), signal);
 * }
 */
export function backoffDelay(attempt: number, minMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * Waits `ms`, or less when `signal` aborts; it resolves either way, so a retry loop ends by checking
 * the signal rather than by catching an AbortError.
 *
 * @example
 * await sleepUnlessAborted(backoffDelay(attempt, 1000, 30_000), this.stopping.signal);
 * if (this.stopping.signal.aborted) return;
 */
export function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return delay(ms, undefined, { signal }).catch(() => undefined);
}
