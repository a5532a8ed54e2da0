import { describe, expect, it } from 'vitest';
import { InFlight } from '../src/shared/in-flight.js';

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('InFlight', () => {
  it('counts work until it settles, and returns the work itself', async () => {
    const inFlight = new InFlight();
    const work = deferred<number>();
    expect(inFlight.track(work.promise)).toBe(work.promise);
    expect(inFlight.size).toBe(1);
    work.resolve(1);
    await inFlight.drain();
    expect(inFlight.size).toBe(0);
  });

  it('drains work tracked while it waits', async () => {
    const inFlight = new InFlight();
    const first = deferred();
    const second = deferred();
    const order: string[] = [];
    inFlight.track(first.promise.then(() => order.push('first')));
    const drained = inFlight.drain().then(() => order.push('drained'));
    inFlight.track(second.promise.then(() => order.push('second')));
    first.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['first']);
    second.resolve();
    await drained;
    expect(order).toEqual(['first', 'second', 'drained']);
  });

  it('leaves a rejection to the caller and drains past it', async () => {
    const inFlight = new InFlight();
    const work = deferred();
    const tracked = inFlight.track(work.promise);
    work.reject(new Error('boom'));
    await expect(tracked).rejects.toThrow('boom');
    await inFlight.drain();
    expect(inFlight.size).toBe(0);
  });
});
