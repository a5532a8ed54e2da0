import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { SqliteStore } from '@chatops/core/internal';
import { percentile } from '../lib/stats.mjs';
import { workerMain } from '../lib/worker.mjs';
import { approvalRequest } from './approval.mjs';

/**
 * Used button nonces written before the run with a 1 s TTL: expired by the time timing starts, so the
 * expiry sweep has rows to delete while changes are timed.
 */
const EXPIRING_NONCES = 20_000;
const SWEEP_EVERY_MS = 1000;

/**
 * One run: `worker.mjs <sqlite|file> <state.json> <changes> [legacy module]`. Opens a store holding
 * what `state.json` holds (SQLite imports it; the file store reads it), then times `changes` changes,
 * each one new pending approval written as the robot writes it (a set with its TTL), one at a time,
 * with a turn of the event loop after each (as between two events in the robot), so the store's
 * background work runs during the run as it would: for SQLite the WAL checkpoint once a second and
 * the sweep of expired rows (20,000 used button nonces, written with a 1 s TTL and then left 1.5 s,
 * have expired before the run starts; the once-a-second sweep deletes them early in it, and the run
 * fails if any row of them is left in the database file after it). Each
 * change is timed by itself. The checkpoints run in a thread of their own and are reported apart,
 * with the log restart that follows each (a write with a header fsync, on the event loop between
 * two changes); the event loop's delay shows what any blocking cost a waiting change.
 */
await workerMain(async ([kind, stateFile, changesText, legacyModule]) => {
  const dir = await mkdtemp(join(tmpdir(), 'chatops-bench-store-'));
  try {
    await copyFile(stateFile, join(dir, 'state.json'));
    const checkpoints = [];
    const store =
      kind === 'sqlite'
        ? await SqliteStore.open(join(dir, 'state.db'), {
            sweepEveryMs: SWEEP_EVERY_MS,
            onCheckpoint: (report) => checkpoints.push(report),
          })
        : await (await import(pathToFileURL(legacyModule).href)).FileStore.open(join(dir, 'state.json'));
    const held = (await store.keys('chatops:approval:')).length;
    if (kind === 'sqlite') {
      for (let i = 0; i < EXPIRING_NONCES; i++) await store.set(`chatops:nonce:n${i}`, 1, { ttlMs: 1000 });
      await new Promise((resolve) => setTimeout(resolve, 1500));
    }
    checkpoints.length = 0;
    const changes = Number(changesText);
    const latencies = [];
    /** CPU time of this thread per change, to tell work from waiting (descheduled, blocked on I/O). */
    const cpu = [];
    const loopDelay = monitorEventLoopDelay({ resolution: 1 });
    loopDelay.enable();
    const started = performance.now();
    for (let i = 0; i < changes; i++) {
      const request = approvalRequest(`bench-${i}`, Date.now());
      const cpuBefore = process.threadCpuUsage();
      const before = performance.now();
      await store.set(`chatops:approval:${request.id}`, request, { ttlMs: 15 * 60_000 + 7 * 86_400_000 });
      latencies.push(performance.now() - before);
      const used = process.threadCpuUsage(cpuBefore);
      cpu.push((used.user + used.system) / 1000);
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    const seconds = (performance.now() - started) / 1000;
    loopDelay.disable();
    await store.close();
    if (kind === 'sqlite') {
      // Reads skip expired rows whether or not they were deleted: count the rows in the file itself.
      // node:sqlite is loaded already (by the store), so this import warns of nothing.
      const { DatabaseSync } = await import('node:sqlite');
      const db = new DatabaseSync(join(dir, 'state.db'), { readOnly: true });
      try {
        const { left } = db
          .prepare(
            "SELECT count(*) AS left FROM entries WHERE key >= 'chatops:nonce:' AND key < 'chatops:nonce;'",
          )
          .get();
        if (left > 0) throw new Error(`the sweep left ${left} of ${EXPIRING_NONCES} expired nonces`);
      } finally {
        db.close();
      }
    }
    const checkpointMs = checkpoints.map((report) => report.ms);
    const slowest = latencies
      .map((ms, index) => ({ ms, cpu: cpu[index] }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, Math.ceil(changes / 100));
    const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;
    const restartMs = checkpoints.filter((report) => report.restarted).map((report) => report.restartMs);
    return {
      held,
      seconds,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      p999Ms: percentile(latencies, 99.9),
      maxMs: Math.max(...latencies),
      slowestWallMs: mean(slowest.map((change) => change.ms)),
      slowestCpuMs: mean(slowest.map((change) => change.cpu)),
      checkpoints: checkpoints.length,
      restarts: checkpoints.filter((report) => report.restarted).length,
      checkpointP50Ms: percentile(checkpointMs, 50),
      checkpointMaxMs: checkpointMs.length ? Math.max(...checkpointMs) : Number.NaN,
      restartP50Ms: percentile(restartMs, 50),
      restartMaxMs: restartMs.length ? Math.max(...restartMs) : Number.NaN,
      loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
      loopDelayMaxMs: loopDelay.max / 1e6,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
