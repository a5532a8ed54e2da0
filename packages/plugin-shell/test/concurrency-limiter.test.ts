import { describe, expect, it } from 'vitest';
import { ConcurrencyLimiter, QueueFullError } from '../src/concurrency-limiter.js';

describe('ConcurrencyLimiter', () => {
  it('grants up to the limit at once and queues the rest in order', async () => {
    const limiter = new ConcurrencyLimiter(1, 5);
    const first = limiter.acquire();
    const second = limiter.acquire();
    const third = limiter.acquire();
    expect([first.position, second.position, third.position]).toEqual([0, 1, 2]);
    const order: string[] = [];
    void second.granted.then(() => order.push('second'));
    void third.granted.then(() => order.push('third'));
    const releaseFirst = await first.granted;
    releaseFirst();
    releaseFirst();
    (await second.granted)();
    (await third.granted)();
    expect(order).toEqual(['second', 'third']);
    expect(limiter.active).toBe(0);
  });

  it('refuses when the queue is full', async () => {
    const limiter = new ConcurrencyLimiter(1, 1);
    limiter.acquire();
    limiter.acquire();
    expect(() => limiter.acquire()).toThrow(QueueFullError);
  });

  it('takes an aborted waiter out of the queue', async () => {
    const limiter = new ConcurrencyLimiter(1, 5);
    const first = limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    const next = limiter.acquire();
    controller.abort('cancelled');
    await expect(waiting.granted).rejects.toBe('cancelled');
    (await first.granted)();
    const release = await next.granted;
    expect(limiter.active).toBe(1);
    release();
    expect(limiter.active).toBe(0);
  });
});
