import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';

/** What one checkpoint did, for {@link SqliteStoreOptions.onCheckpoint}. */
export interface CheckpointReport {
  /** How long the checkpoint took, in its own thread (the event loop runs on meanwhile). */
  ms: number;
  /** How long the log restart after it held the event loop (0 when there was none). */
  restartMs: number;
  /** Frames in the WAL when it ran. */
  frames: number;
  /** Whether the WAL was fully copied back and restarted from its beginning. */
  restarted: boolean;
}

interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
  ms: number;
}

/** Frames the restart write leaves in the WAL (one page of the one-row `wal_upkeep` table). */
const RESTART_FRAMES = 1;
/**
 * Runs in a row with nothing to checkpoint before the checkpointing thread is let go: a thread holds
 * about 10 MB, which a robot that sits idle should not keep. The next change starts it again.
 */
const QUIET_RUNS_BEFORE_RELEASE = 30;

/**
 * The checkpointing thread: its own connection to the database, one passive checkpoint per message.
 * Plain CommonJS in a string, so it runs the same from the built package and from the sources.
 */
const CHECKPOINT_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(workerData.path);
db.exec('PRAGMA busy_timeout = 5000');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
parentPort.on('message', () => {
  const started = performance.now();
  try {
    parentPort.postMessage({ ...checkpoint.get(), ms: performance.now() - started });
  } catch (error) {
    parentPort.postMessage({ error: String(error) });
  }
});
`;

/**
 * Keeps a WAL-mode database's log short without putting an fsync on any change or a checkpoint on
 * the event loop. SQLite's automatic checkpoint runs inside the change that fills the log; here a
 * timer calls {@link run}, which has a thread of its own copy the log into the database file. After
 * a full checkpoint the next write restarts the log from its beginning and fsyncs the log header,
 * so {@link run} then makes that write itself (one row of its own table) rather than leaving it to
 * the next change. Nothing is done while the database has not changed, which also keeps the
 * restart write's frame in the log, so the next change appends to it without a restart.
 */
export class WalUpkeep {
  private readonly dataVersion: StatementSync;
  private readonly restart: StatementSync;
  private thread: Worker | undefined;
  private checkpointing = false;
  private changed = true;
  private quietRuns = 0;
  private seenVersion: unknown;
  private closed = false;

  constructor(
    db: DatabaseSync,
    private readonly file: string,
    private readonly onCheckpoint?: (report: CheckpointReport) => void,
  ) {
    db.exec('CREATE TABLE IF NOT EXISTS wal_upkeep (id INTEGER PRIMARY KEY, restarted_at INTEGER NOT NULL)');
    // Changes by other connections (other processes sharing the file) bump it; our own do not.
    this.dataVersion = db.prepare('PRAGMA data_version');
    this.restart = db.prepare('INSERT OR REPLACE INTO wal_upkeep (id, restarted_at) VALUES (1, :now)');
  }

  /** Called by the store after each change it makes. */
  noteChange(): void {
    this.changed = true;
  }

  /** Checkpoints (in the checkpointing thread) when anything changed since the last time. */
  run(): void {
    if (this.closed || this.checkpointing) return;
    const version = (this.dataVersion.get() as { data_version: number }).data_version;
    if (!this.changed && version === this.seenVersion) {
      if (++this.quietRuns >= QUIET_RUNS_BEFORE_RELEASE) this.releaseThread();
      return;
    }
    this.quietRuns = 0;
    this.changed = false;
    this.seenVersion = version;
    this.checkpointing = true;
    const thread = this.checkpointThread();
    thread.once('message', (result: CheckpointResult | { error: string }) => {
      this.checkpointing = false;
      if (!this.closed) this.finish(result);
    });
    thread.postMessage('checkpoint');
  }

  /** Whether the checkpointing thread is up (it is let go after a quiet spell). */
  get threadRunning(): boolean {
    return this.thread !== undefined;
  }

  /** Stops the checkpointing thread. */
  async close(): Promise<void> {
    this.closed = true;
    await this.thread?.terminate();
  }

  private finish(result: CheckpointResult | { error: string }): void {
    // A failed checkpoint, or one held up by a reader of an older snapshot, is tried again next time.
    if ('error' in result || result.busy !== 0 || result.checkpointed !== result.log) {
      this.changed = true;
      return;
    }
    // A log holding only a restart frame (ours, or another process's) is left as it is.
    const restarted = result.log > RESTART_FRAMES;
    const started = performance.now();
    try {
      if (restarted) this.restart.run({ now: Date.now() });
    } catch {
      // Another process held the write lock past busy_timeout: the next change restarts the log.
      this.changed = true;
      return;
    }
    const restartMs = restarted ? performance.now() - started : 0;
    this.onCheckpoint?.({ ms: result.ms, restartMs, frames: result.log, restarted });
  }

  private releaseThread(): void {
    if (!this.thread || this.checkpointing) return;
    void this.thread.terminate();
    this.thread = undefined;
  }

  private checkpointThread(): Worker {
    if (!this.thread) {
      this.thread = new Worker(CHECKPOINT_THREAD, { eval: true, workerData: { path: this.file } });
      this.thread.unref();
      // A thread that cannot open the file (it was removed) leaves checkpoints to the next start.
      this.thread.on('error', () => {
        this.thread = undefined;
        this.checkpointing = false;
        this.changed = true;
      });
    }
    return this.thread;
  }
}
