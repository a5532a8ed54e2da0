import { describe, expect, it } from 'vitest';
import type { Store } from '../src/store/store.js';

/** A clock the test moves by hand. */
export class FakeClock {
  time = 1_700_000_000_000;
  readonly now = (): number => this.time;
  advance(ms: number): void {
    this.time += ms;
  }
}

/**
 * Behaviour every Store backend shares; `open` creates a fresh, empty store on the given clock.
 * `clock: false` for a backend whose TTLs run on its own clock (Redis): the tests that move the
 * clock by hand are left out, and the backend's own tests cover expiry.
 */
export function describeStoreContract(
  name: string,
  open: (clock: FakeClock) => Promise<Store>,
  options: { clock?: boolean } = {},
): void {
  const withClock = options.clock !== false;
  describe(`${name}: Store contract`, () => {
    it('sets, gets and deletes JSON values', async () => {
      const store = await open(new FakeClock());
      expect(await store.get('missing')).toBeUndefined();
      await store.set('approval:1', { by: ['shell:alice'], count: 1, open: true });
      await store.set('counter', 3);
      await store.set('nothing', null);
      expect(await store.get('approval:1')).toEqual({ by: ['shell:alice'], count: 1, open: true });
      expect(await store.get('counter')).toBe(3);
      expect(await store.get('nothing')).toBeNull();
      await store.delete('counter');
      await store.delete('never-set');
      expect(await store.get('counter')).toBeUndefined();
      await store.close();
    });

    it('copies values so later mutation does not change what is stored', async () => {
      const store = await open(new FakeClock());
      const value = { list: [1] };
      await store.set('k', value);
      value.list.push(2);
      const read = await store.get<{ list: number[] }>('k');
      read?.list.push(3);
      expect(await store.get('k')).toEqual({ list: [1] });
      await store.close();
    });

    it('rejects values that are not JSON', async () => {
      const store = await open(new FakeClock());
      const circular: Record<string, unknown> = {};
      circular['self'] = circular;
      await expect(store.set('bad', undefined)).rejects.toThrow(
        'store key "bad": value must be JSON-serializable',
      );
      await expect(store.set('bad', circular)).rejects.toThrow('value must be JSON-serializable');
      await expect(store.set('bad', 1, { ttlMs: 0 })).rejects.toThrow(
        'store key "bad": ttlMs must be positive',
      );
      expect(await store.keys('')).toEqual([]);
      await store.close();
    });

    it('lists keys by prefix, sorted', async () => {
      const store = await open(new FakeClock());
      await store.set('nonce:b', 1);
      await store.set('nonce:a', 1);
      await store.set('approval:x', 1);
      expect(await store.keys('nonce:')).toEqual(['nonce:a', 'nonce:b']);
      expect(await store.keys('')).toEqual(['approval:x', 'nonce:a', 'nonce:b']);
      await store.close();
    });

    it('setIfAbsent sets only once, even for concurrent callers', async () => {
      const store = await open(new FakeClock());
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, index) => store.setIfAbsent('lock', { owner: index })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.get('lock')).toEqual({ owner: results.indexOf(true) });
      await store.close();
    });

    it('compareAndSet replaces only the expected value, atomically', async () => {
      const store = await open(new FakeClock());
      expect(await store.compareAndSet('missing', 1, 2)).toBe(false);
      expect(await store.get('missing')).toBeUndefined();
      await store.set('request', { state: 'pending', approvals: [] });
      const read = await store.get('request');
      expect(await store.compareAndSet('request', { state: 'other' }, { state: 'x' })).toBe(false);
      const results = await Promise.all(
        ['approved', 'rejected', 'expired'].map((state) => store.compareAndSet('request', read, { state })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = ['approved', 'rejected', 'expired'][results.indexOf(true)];
      expect(await store.get('request')).toEqual({ state: winner });
      await store.close();
    });

    it('deleteIfEquals deletes only the expected value', async () => {
      const store = await open(new FakeClock());
      await store.set('lease', 'replica-a');
      expect(await store.deleteIfEquals('lease', 'replica-b')).toBe(false);
      expect(await store.get('lease')).toBe('replica-a');
      expect(await store.deleteIfEquals('lease', 'replica-a')).toBe(true);
      expect(await store.get('lease')).toBeUndefined();
      expect(await store.deleteIfEquals('lease', 'replica-a')).toBe(false);
      await store.close();
    });

    it('takeToken lets exactly the burst through, even for concurrent callers', async () => {
      const store = await open(new FakeClock());
      const limit = { burst: 5, perMinute: 0.001 };
      const taken = await Promise.all(
        Array.from({ length: 12 }, () => store.takeToken('bucket:alice', limit)),
      );
      expect(taken.filter((decision) => decision.allowed)).toHaveLength(5);
      const refused = taken.find((decision) => !decision.allowed)!;
      expect(refused.tokens).toBeLessThan(1);
      expect((await store.takeToken('bucket:bob', limit)).allowed).toBe(true);
      await store.close();
    });

    it('is available while open', async () => {
      const store = await open(new FakeClock());
      expect(store.isAvailable()).toBe(true);
      await store.close();
    });

    if (withClock) {
      it('expires keys after their TTL', async () => {
        const clock = new FakeClock();
        const store = await open(clock);
        await store.set('nonce:1', true, { ttlMs: 1000 });
        await store.set('forever', true);
        clock.advance(999);
        expect(await store.get('nonce:1')).toBe(true);
        expect(await store.keys('')).toEqual(['forever', 'nonce:1']);
        clock.advance(1);
        expect(await store.get('nonce:1')).toBeUndefined();
        expect(await store.keys('')).toEqual(['forever']);
        await store.close();
      });

      it('setIfAbsent succeeds again once the key expired', async () => {
        const clock = new FakeClock();
        const store = await open(clock);
        expect(await store.setIfAbsent('nonce', 1, { ttlMs: 100 })).toBe(true);
        expect(await store.setIfAbsent('nonce', 2, { ttlMs: 100 })).toBe(false);
        clock.advance(100);
        expect(await store.setIfAbsent('nonce', 3)).toBe(true);
        expect(await store.get('nonce')).toBe(3);
        await store.close();
      });

      it('takeToken refills the bucket over time', async () => {
        const clock = new FakeClock();
        const store = await open(clock);
        const limit = { burst: 2, perMinute: 6 };
        expect((await store.takeToken('bucket', limit)).allowed).toBe(true);
        expect(await store.takeToken('bucket', limit)).toEqual({ allowed: true, tokens: 0 });
        expect(await store.takeToken('bucket', limit)).toEqual({ allowed: false, tokens: 0 });
        clock.advance(9_000);
        expect((await store.takeToken('bucket', limit)).allowed).toBe(false);
        clock.advance(1_000);
        expect(await store.takeToken('bucket', limit)).toEqual({ allowed: true, tokens: 0 });
        await store.close();
      });

      it('compareAndSet sets the new TTL; an expired key no longer matches', async () => {
        const clock = new FakeClock();
        const store = await open(clock);
        await store.set('request', { state: 'approved' });
        expect(
          await store.compareAndSet('request', { state: 'approved' }, { state: 'done' }, { ttlMs: 50 }),
        ).toBe(true);
        clock.advance(50);
        expect(await store.get('request')).toBeUndefined();
        expect(await store.compareAndSet('request', { state: 'done' }, { state: 'again' })).toBe(false);
        await store.close();
      });
    }
  });
}
