import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChannelPacer } from '../src/channel-pacer.js';

describe('ChannelPacer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs posts to one channel in order, spaced by the interval, and other channels independently', async () => {
    const pacer = new ChannelPacer(1000, () => Date.now());
    const started: string[] = [];
    const post = (channel: string, label: string) =>
      pacer.run(channel, async () => {
        started.push(`${label}@${Date.now()}`);
        return label;
      });
    const t0 = Date.now();
    const results = Promise.all([post('C1', 'a'), post('C1', 'b'), post('C2', 'x'), post('C1', 'c')]);
    await vi.runAllTimersAsync();
    expect(await results).toEqual(['a', 'b', 'x', 'c']);
    expect(started).toEqual([`a@${t0}`, `x@${t0}`, `b@${t0 + 1000}`, `c@${t0 + 2000}`]);
  });

  it('keeps going after a failed post', async () => {
    const pacer = new ChannelPacer(0);
    const failed = pacer.run('C1', async () => {
      throw new Error('boom');
    });
    const next = pacer.run('C1', async () => 'ok');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ok');
  });
});
