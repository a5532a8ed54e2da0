import { describe, expect, it } from 'vitest';
import { backoffDelay, sleepUnlessAborted } from '../src/shared/backoff.js';

describe('backoffDelay', () => {
  it('doubles up to the cap with half of each delay random', () => {
    expect(backoffDelay(0, 1000, 30_000, () => 0)).toBe(500);
    expect(backoffDelay(0, 1000, 30_000, () => 1)).toBe(1000);
    expect(backoffDelay(3, 1000, 30_000, () => 1)).toBe(8000);
    expect(backoffDelay(20, 1000, 30_000, () => 1)).toBe(30_000);
    expect(backoffDelay(20, 1000, 30_000, () => 0)).toBe(15_000);
  });

  it('stays at the cap for any number of attempts', () => {
    expect(backoffDelay(10_000, 200, 30_000, () => 1)).toBe(30_000);
  });
});

describe('sleepUnlessAborted', () => {
  it('resolves early, without throwing, when the signal aborts', async () => {
    const controller = new AbortController();
    const sleeping = sleepUnlessAborted(60_000, controller.signal);
    controller.abort();
    await expect(sleeping).resolves.toBeUndefined();
  });

  it('resolves at once for an aborted signal', async () => {
    await expect(sleepUnlessAborted(60_000, AbortSignal.abort())).resolves.toBeUndefined();
  });
});
