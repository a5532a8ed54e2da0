import { describe, expect, it } from 'vitest';
import { TtlCache } from '../src/index.js';

describe('TtlCache', () => {
  it('loads a missing key once, even for concurrent gets, and reloads after the ttl', async () => {
    let now = 0;
    let loads = 0;
    const cache = new TtlCache<string>({ ttlMs: 1000, now: () => now });
    const load = async () => `value ${++loads}`;
    const [first, second] = await Promise.all([cache.get('a', load), cache.get('a', load)]);
    expect([first, second, loads]).toEqual(['value 1', 'value 1', 1]);
    now = 999;
    expect(await cache.get('a', load)).toBe('value 1');
    now = 1000;
    expect(await cache.get('a', load)).toBe('value 2');
  });

  it('does not keep a failed load', async () => {
    const cache = new TtlCache<string>({ ttlMs: 1000 });
    await expect(cache.get('a', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(cache.size).toBe(0);
    expect(await cache.get('a', async () => 'up')).toBe('up');
  });

  it('serves a value put with set until it expires', async () => {
    let now = 0;
    const cache = new TtlCache<number>({ ttlMs: 10, now: () => now });
    cache.set('x', 1);
    expect(await cache.get('x', async () => 2)).toBe(1);
    now = 10;
    expect(await cache.get('x', async () => 2)).toBe(2);
  });

  it('when full, drops expired entries first, then the oldest', async () => {
    let now = 0;
    const cache = new TtlCache<string>({ ttlMs: 100, maxEntries: 3, now: () => now });
    cache.set('old', 'o');
    now = 50;
    cache.set('b', 'b');
    cache.set('c', 'c');
    now = 120; // `old` has expired, b and c have not
    cache.set('d', 'd');
    expect(cache.size).toBe(3);
    expect(await cache.get('b', async () => 'reloaded')).toBe('b');
    cache.set('e', 'e'); // nothing has expired: the first stored (b; a hit does not reorder) goes
    expect(cache.size).toBe(3);
    expect(await cache.get('c', async () => 'reloaded')).toBe('c');
    expect(await cache.get('b', async () => 'reloaded')).toBe('reloaded');
  });
});
