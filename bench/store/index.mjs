import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarizeRuns } from '../lib/stats.mjs';
import { runWorker } from '../lib/worker.mjs';
import { approvalRequest } from './approval.mjs';
import { compileLegacyFileStore, LEGACY_COMMIT } from './legacy-file-store.mjs';

const RUNS = 3;
const PENDING = [0, 100_000];
/** Changes timed per run: the file store at 100,000 pending takes seconds per change. */
const CHANGES = { sqlite: 10_000, file: { 0: 200, 100000: 5 } };
const WORKER = fileURLToPath(new URL('./worker.mjs', import.meta.url));

/**
 * Cost of one change (a new pending approval) in the SQLite store against the former JSON file store
 * (compiled from git at its last commit), with 0 and 100,000 pending approvals already stored. Each
 * run is a fresh process that loads the same state file.
 */
export default {
  name: 'store',
  title: 'State store: one change at 0 and 100,000 pending approvals, SQLite vs the former file store',
  async run({ progress }) {
    const dir = await mkdtemp(join(tmpdir(), 'chatops-bench-state-'));
    try {
      const legacy = await compileLegacyFileStore(join(dir, 'legacy'));
      const rows = [];
      const bars = [];
      const results = {};
      for (const pending of PENDING) {
        const stateFile = join(dir, `state-${pending}.json`);
        await writeStateFile(stateFile, pending);
        const megabytes = (await stat(stateFile)).size / 1e6;
        const measure = async (kind, changes) => {
          const runs = [];
          for (let run = 1; run <= RUNS; run++) {
            progress(`store: ${kind}, ${pending} pending, run ${run}/${RUNS} (${changes} changes)`);
            const result = await runWorker(WORKER, [kind, stateFile, changes, legacy], {
              timeoutMs: 600_000,
            });
            if (result.held !== pending)
              throw new Error(`${kind} held ${result.held} approvals, not ${pending}`);
            runs.push(result);
          }
          return summarizeRuns(runs);
        };
        const sqlite = await measure('sqlite', CHANGES.sqlite);
        const file = await measure('file', CHANGES.file[pending]);
        results[pending] = { stateFileMB: megabytes, sqlite, file };
        const label = `${pending.toLocaleString('en-US')} pending (${megabytes.toFixed(0)} MB as JSON)`;
        for (const [key, name] of [
          ['p50Ms', 'p50'],
          ['p99Ms', 'p99'],
          ['maxMs', 'max'],
        ]) {
          rows.push({
            benchmark: 'store',
            case: `change ${name} ms, ${label}`,
            ours: sqlite[key],
            baseline: { label: `file store (${LEGACY_COMMIT})`, summary: file[key] },
            ratio: file[key].median / sqlite[key].median,
          });
        }
        for (const [key, name] of [
          ['checkpointP50Ms', 'WAL checkpoint p50 ms (own thread)'],
          ['checkpointMaxMs', 'WAL checkpoint max ms (own thread)'],
          ['restartP50Ms', 'WAL restart p50 ms (event loop, between changes)'],
          ['restartMaxMs', 'WAL restart max ms (event loop, between changes)'],
          ['loopDelayP99Ms', 'event-loop delay p99 ms, whole run'],
          ['slowestWallMs', 'slowest 1% of changes: mean ms'],
          ['slowestCpuMs', 'slowest 1% of changes: mean CPU ms of the thread'],
        ]) {
          rows.push({ benchmark: 'store', case: `SQLite ${name}, ${label}`, ours: sqlite[key] });
        }
      }
      bars.push({
        benchmark: 'store',
        bar: 'SQLite change p99 < 1 ms at 100,000 pending approvals',
        value: `${results[100000].sqlite.p99Ms.median.toFixed(3)} ms`,
        met: results[100000].sqlite.p99Ms.median < 1,
      });
      return {
        protocol: { runs: RUNS, pending: PENDING, changes: CHANGES, legacyCommit: LEGACY_COMMIT },
        results,
        rows,
        bars,
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

/** A state.json of the former file store holding `count` pending approvals (and a secret). */
async function writeStateFile(file, count) {
  const now = Date.now();
  const entries = { 'chatops:secret': { value: 'bench-secret-0123456789abcdef' } };
  for (let i = 0; i < count; i++) {
    const request = approvalRequest(`p${i}`, now);
    entries[`chatops:approval:${request.id}`] = {
      value: request,
      expiresAt: now + 15 * 60_000 + 7 * 86_400_000,
    };
  }
  await writeFile(file, `${JSON.stringify({ version: 1, entries })}\n`);
}
