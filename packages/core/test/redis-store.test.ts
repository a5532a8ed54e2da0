import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../src/store/create-store.js';
import { RedisStore } from '../src/store/redis-store.js';
import { StoreUnavailableError } from '../src/store/store.js';
import { RedisServer } from '../src/testing/redis-server.js';
import { describeStoreContract } from './store-contract.js';

let redis: RedisServer;
let opened = 0;

beforeAll(async () => {
  redis = await RedisServer.start();
});

afterAll(async () => {
  await redis?.stop();
});

/** A store on its own key prefix: empty, and apart from every other test's. */
function freshStore(): Promise<RedisStore> {
  return RedisStore.open({ url: redis.url, prefix: `test${++opened}:` });
}

/** Polls (bounded) until `probe` holds. */
async function until(probe: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describeStoreContract('RedisStore', () => freshStore(), { clock: false });

describe('RedisStore', () => {
  it('expires keys by Redis TTL (PX) and lets set-if-absent win again afterwards', async () => {
    const store = await freshStore();
    expect(await store.setIfAbsent('nonce', 1, { ttlMs: 60 })).toBe(true);
    expect(await store.setIfAbsent('nonce', 2, { ttlMs: 60 })).toBe(false);
    await store.set('forever', true);
    expect(await store.redis.pttl(`${store.prefix}nonce`)).toBeGreaterThan(0);
    expect(await store.redis.pttl(`${store.prefix}forever`)).toBe(-1);
    await until(async () => (await store.get('nonce')) === undefined);
    expect(await store.keys('')).toEqual(['forever']);
    expect(await store.setIfAbsent('nonce', 3)).toBe(true);
    expect(await store.compareAndSet('nonce', 3, 4, { ttlMs: 60_000 })).toBe(true);
    expect(await store.redis.pttl(`${store.prefix}nonce`)).toBeGreaterThan(59_000);
    await store.close();
  });

  it('keeps robots with different prefixes apart, and lists keys whose names hold glob characters', async () => {
    const first = await freshStore();
    const second = await freshStore();
    await first.set('a*[b]?', 1);
    await first.set('a-other', 1);
    expect(await second.keys('')).toEqual([]);
    expect(await first.keys('a*')).toEqual(['a*[b]?']);
    await Promise.all([first.close(), second.close()]);
  });

  it('opens through createStore for `store: { type: redis }`, and names the URL (never the password) when unreachable', async () => {
    const store = await createStore({ type: 'redis', url: redis.url, prefix: 'create:', eventLease: 30_000 });
    expect(store).toBeInstanceOf(RedisStore);
    await store.close();
    await expect(RedisStore.open({ url: 'redis://:hunter2@127.0.0.1:1/0' })).rejects.toThrow(
      /^redis store redis:\/\/:\*\*\*@127\.0\.0\.1:1\/0: /,
    );
  });

  it('fails closed at once while Redis is down, reports unavailable, and works again after it restarts', async () => {
    const store = await freshStore();
    await store.set('kept', 'value');
    await redis.halt();
    try {
      await until(async () => !store.isAvailable());
      const started = Date.now();
      const error = await store.setIfAbsent('nonce', 1).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as Error).message).toBe('state store unavailable, try again');
      expect(Date.now() - started).toBeLessThan(1000);
      await expect(store.get('kept')).rejects.toThrow('state store unavailable, try again');
    } finally {
      await redis.resume();
    }
    await until(async () => store.isAvailable(), 10_000);
    expect(await store.get('kept')).toBe('value');
    expect(await store.setIfAbsent('nonce', 1)).toBe(true);
    expect(await store.setIfAbsent('nonce', 1)).toBe(false);
    await store.close();
  });
});
