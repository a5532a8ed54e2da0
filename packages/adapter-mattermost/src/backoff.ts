import { setTimeout as delay } from 'node:timers/promises';

/** Exponential backoff with "equal jitter": half the delay fixed, half random, so clients spread out. */
export function backoffDelay(attempt: number, minMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Waits `ms`, or less when `signal` aborts (then resolves without throwing). */
export function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return delay(ms, undefined, { signal }).catch(() => undefined);
}
