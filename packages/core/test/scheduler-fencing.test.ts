import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Leases } from '../src/runtime/lease.js';
import { storeJobClaims } from '../src/runtime/scheduled-job-claims.js';
import { type JobClaims, Scheduler } from '../src/runtime/scheduler.js';
import { RedisStore } from '../src/store/redis-store.js';
import { RedisServer } from '../src/testing/redis-server.js';

const INTERVAL_MS = 400;

let redis: RedisServer;
let store: RedisStore;

beforeAll(async () => {
  redis = await RedisServer.start();
  store = await RedisStore.open({ url: redis.url, prefix: 'fencing:' });
});

afterAll(async () => {
  await store?.close();
  await redis?.stop();
});

/** A scheduler sharing `monitor` through the Redis store, its claims passed through `stall`. */
function replica(
  name: string,
  stall: (claims: JobClaims) => JobClaims,
  runs: { name: string; at: number }[],
) {
  const scheduler = new Scheduler({ log: pino({ level: 'silent' }) });
  scheduler.shareWith(stall(storeJobClaims(store, new Leases(store, name))));
  scheduler.add(
    `${INTERVAL_MS}ms`,
    'monitor',
    (_signal, run) => void runs.push({ name, at: run.scheduledAt }),
  );
  return scheduler;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Scheduler on a shared Redis store: a stalled replica', () => {
  it('runs each tick once when the lease changes hands while a replica was stalled', async () => {
    const runs: { name: string; at: number }[] = [];
    // bot-a holds the job, then stops renewing after its third run (it hangs: a long GC pause, a
    // blocked event loop). bot-b is stalled too: each of its claims reaches Redis two intervals
    // late, after bot-a's lease (1.5 intervals) has lapsed, so it claims the tick bot-a ran last.
    const ranOnA = () => runs.filter((run) => run.name === 'bot-a').length;
    const a = replica(
      'bot-a',
      (claims) => ({
        claimInterval: (job, ttlMs) =>
          ranOnA() >= 3 ? new Promise<boolean>(() => {}) : claims.claimInterval(job, ttlMs),
        claimRun: (job, runAt) => claims.claimRun(job, runAt),
      }),
      runs,
    );
    const b = replica(
      'bot-b',
      (claims) => ({
        claimInterval: async (job, ttlMs) => {
          await sleep(2 * INTERVAL_MS);
          return claims.claimInterval(job, ttlMs);
        },
        claimRun: (job, runAt) => claims.claimRun(job, runAt),
      }),
      runs,
    );
    a.start();
    b.start();
    try {
      const deadline = Date.now() + 15_000;
      while (runs.filter((run) => run.name === 'bot-b').length < 2) {
        if (Date.now() > deadline) throw new Error(`bot-b never took over: ${JSON.stringify(runs)}`);
        await sleep(50);
      }
    } finally {
      await a.stop();
      await b.stop();
    }
    expect(ranOnA()).toBe(3);
    const ticks = runs.map((run) => run.at);
    expect(new Set(ticks).size, JSON.stringify(runs)).toBe(ticks.length);
  }, 30_000);
});
