import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Leases } from '../src/runtime/lease.js';
import { storeJobClaims } from '../src/runtime/scheduled-job-claims.js';
import { Scheduler } from '../src/runtime/scheduler.js';
import { MemoryStore } from '../src/store/memory-store.js';
import type { Store } from '../src/store/store.js';

afterEach(() => {
  vi.useRealTimers();
});

/** Three schedulers ("replicas") sharing their jobs through one store, each recording its runs. */
function replicas(store: Store, schedule: string) {
  return ['a', 'b', 'c'].map((name) => {
    const scheduler = new Scheduler({ log: pino({ level: 'silent' }) });
    const leases = new Leases(store, `bot-${name}`);
    scheduler.shareWith(storeJobClaims(store, leases));
    const runs: number[] = [];
    scheduler.add(schedule, 'monitor', () => void runs.push(Date.now()));
    return { name, scheduler, runs };
  });
}

describe('Scheduler shared by several processes', () => {
  it('runs each interval tick once across replicas, and another replica takes over within two intervals', async () => {
    vi.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z') });
    const start = Date.now();
    const store = new MemoryStore();
    const all = replicas(store, '10s');
    for (const replica of all) replica.scheduler.start();

    await vi.advanceTimersByTimeAsync(60_000);
    const holder = all.find((replica) => replica.runs.length > 0)!;
    expect(holder.runs.map((at) => at - start)).toEqual([10_000, 20_000, 30_000, 40_000, 50_000, 60_000]);
    expect(all.reduce((sum, replica) => sum + replica.runs.length, 0)).toBe(6);

    await holder.scheduler.stop(); // the holder dies right after its run at 60 s
    await vi.advanceTimersByTimeAsync(40_000);
    const others = all.filter((replica) => replica !== holder);
    const takeovers = others.flatMap((replica) => replica.runs).sort((a, b) => a - b);
    expect(takeovers.map((at) => at - start)).toEqual([80_000, 90_000, 100_000]);
    expect(others.filter((replica) => replica.runs.length > 0)).toHaveLength(1);
    for (const replica of others) await replica.scheduler.stop();
  });

  it('runs each cron run once across replicas', async () => {
    vi.useFakeTimers({ now: new Date('2030-01-01T00:00:30Z') });
    const all = replicas(new MemoryStore(), '* * * * *');
    for (const replica of all) replica.scheduler.start();
    await vi.advanceTimersByTimeAsync(140_000);
    const runs = all.flatMap((replica) => replica.runs).map((at) => new Date(at).toISOString());
    expect(runs.sort()).toEqual(['2030-01-01T00:01:00.000Z', '2030-01-01T00:02:00.000Z']);
    for (const replica of all) await replica.scheduler.stop();
  });

  it('skips a tick when its claim fails (store unreachable), and logs why', async () => {
    vi.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z') });
    const lines: { msg: string }[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const scheduler = new Scheduler({ log });
    scheduler.shareWith({
      claimInterval: () => Promise.reject(new Error('state store unavailable, try again')),
      claimRun: () => Promise.resolve(true),
    });
    let runs = 0;
    scheduler.add('10s', 'monitor', () => void runs++);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(runs).toBe(0);
    expect(lines.map((line) => line.msg)).toEqual([
      'scheduled job skipped: could not claim its tick',
      'scheduled job skipped: could not claim its tick',
    ]);
    await scheduler.stop();
  });
});
