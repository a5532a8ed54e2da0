import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SqliteStore } from '@chatops/core/internal';
import { percentile } from '../lib/stats.mjs';
import { workerMain } from '../lib/worker.mjs';
import { approvalRequest } from './approval.mjs';

/**
 * One run: `worker.mjs <sqlite|file> <state.json> <changes> [legacy module]`. Opens a store holding
 * what `state.json` holds (SQLite imports it; the file store reads it), then times `changes` changes,
 * each one new pending approval written as the robot writes it (a set with its TTL), one at a time.
 */
await workerMain(async ([kind, stateFile, changesText, legacyModule]) => {
  const dir = await mkdtemp(join(tmpdir(), 'chatops-bench-store-'));
  try {
    await copyFile(stateFile, join(dir, 'state.json'));
    const store =
      kind === 'sqlite'
        ? await SqliteStore.open(join(dir, 'state.db'))
        : await (await import(pathToFileURL(legacyModule).href)).FileStore.open(join(dir, 'state.json'));
    const held = (await store.keys('chatops:approval:')).length;
    const changes = Number(changesText);
    const latencies = [];
    for (let i = 0; i < changes; i++) {
      const request = approvalRequest(`bench-${i}`, Date.now());
      const started = performance.now();
      await store.set(`chatops:approval:${request.id}`, request, { ttlMs: 15 * 60_000 + 7 * 86_400_000 });
      latencies.push(performance.now() - started);
    }
    await store.close();
    return { held, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
