import { describe, expect, it } from 'vitest';
import { withTimeout } from '../src/index.js';

describe('withTimeout', () => {
  it('resolves with the value when the work settles in time', async () => {
    expect(await withTimeout(Promise.resolve(42), 1000)).toEqual({ done: true, value: 42 });
  });

  it('resolves as not done when time runs out, and the work carries on', async () => {
    let finish!: (value: string) => void;
    const work = new Promise<string>((resolve) => {
      finish = resolve;
    });
    expect(await withTimeout(work, 5)).toEqual({ done: false });
    finish('later');
    expect(await work).toBe('later');
  });

  it('tells a value of undefined apart from a timeout', async () => {
    expect(await withTimeout(Promise.resolve(undefined), 1000)).toEqual({ done: true, value: undefined });
  });

  it('passes a rejection on', async () => {
    await expect(withTimeout(Promise.reject(new Error('broken')), 1000)).rejects.toThrow('broken');
  });
});
