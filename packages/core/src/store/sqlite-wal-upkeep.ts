import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';

/** What one checkpoint did, for {@link SqliteStoreOptions.onCheckpoint}. */
export interface CheckpointReport {
  /** How long the checkpoint took (in its own thread unless {@link onEventLoop}). */
  ms: number;
  /** Whether it ran on the event loop: a few changes are checkpointed there, without the thread. */
  onEventLoop: boolean;
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
 * Up to this many changes since the last checkpoint, while the thread is not up, are checkpointed on
 * the event loop: copying a few pages and one fsync cost about what the log restart after it costs
 * there anyway, and a robot that changes little never starts the thread (about 12 MB) at all.
 */
const CHANGES_CHECKPOINTED_INLINE = 32;
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
 * Keeps a WAL-mode database's log short without putting an fsync on any change, or a long checkpoint
 * on the event loop. SQLite's automatic checkpoint runs inside the change that fills the log; here a
 * timer calls {@link run}, which has a thread of its own copy the log into the database file once
 * more than a few changes piled up (a few are copied on the event loop, see
 * {@link CHANGES_CHECKPOINTED_INLINE}). After
 * a full checkpoint the next write restarts the log from its beginning and fsyncs the log header,
 * so {@link run} then makes that write itself (one row of its own table) rather than leaving it to
 * the next change. Nothing is done while the database has not changed, which also keeps the
 * restart write's frame in the log, so the next change appends to it without a restart.
 */
export class WalUpkeep {
  private readonly dataVersion: StatementSync;
  private readonly totalChanges: StatementSync;
  private readonly restart: StatementSync;
  private readonly inlineCheckpoint: StatementSync;
  private thread: Worker | undefined;
  private checkpointing = false;
  private quietRuns = 0;
  /** Rows this connection had changed at the last checkpoint (SQLite counts them: `total_changes()`). */
  private seenChanges = 0;
  /** `data_version` at the last checkpoint; undefined forces the next run to checkpoint. */
  private seenVersion: number | undefined;
  private closed = false;

  constructor(
    db: DatabaseSync,
    private readonly file: string,
    private readonly onCheckpoint?: (report: CheckpointReport) => void,
  ) {
    db.exec('CREATE TABLE IF NOT EXISTS wal_upkeep (id INTEGER PRIMARY KEY, restarted_at INTEGER NOT NULL)');
    // Changes by other connections (other processes sharing the file) bump it; our own do not.
    this.dataVersion = db.prepare('PRAGMA data_version');
    this.totalChanges = db.prepare('SELECT total_changes() AS changes');
    this.restart = db.prepare('INSERT OR REPLACE INTO wal_upkeep (id, restarted_at) VALUES (1, :now)');
    this.inlineCheckpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
  }

  /**
   * Checkpoints when anything changed since the last time: in the checkpointing thread when it is up
   * or when many changes piled up, else (a few changes) on the event loop.
   */
  run(): void {
    if (this.closed || this.checkpointing) return;
    const version = (this.dataVersion.get() as { data_version: number }).data_version;
    const total = this.changedRows();
    const changes = total - this.seenChanges;
    if (changes === 0 && version === this.seenVersion) {
      if (++this.quietRuns >= QUIET_RUNS_BEFORE_RELEASE) this.releaseThread();
      return;
    }
    this.quietRuns = 0;
    this.seenChanges = total;
    this.seenVersion = version;
    if (!this.thread && changes <= CHANGES_CHECKPOINTED_INLINE) {
      this.checkpointInline();
      return;
    }
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

  private checkpointInline(): void {
    const started = performance.now();
    let result: CheckpointResult | { error: string };
    try {
      result = { ...(this.inlineCheckpoint.get() as Omit<CheckpointResult, 'ms'>), ms: 0 };
      result.ms = performance.now() - started;
    } catch (error) {
      result = { error: String(error) };
    }
    this.finish(result, true);
  }

  private finish(result: CheckpointResult | { error: string }, onEventLoop = false): void {
    // A failed checkpoint, or one held up by a reader of an older snapshot, is tried again next time.
    if ('error' in result || result.busy !== 0 || result.checkpointed !== result.log) {
      this.seenVersion = undefined;
      return;
    }
    // A log holding only a restart frame (ours, or another process's) is left as it is.
    const restarted = result.log > RESTART_FRAMES;
    const started = performance.now();
    try {
      if (restarted) {
        const before = this.changedRows();
        this.restart.run({ now: Date.now() });
        // The restart's own row is not a change to checkpoint; the store's meanwhile still are.
        this.seenChanges += this.changedRows() - before;
      }
    } catch {
      // Another process held the write lock past busy_timeout: the next run tries again.
      this.seenVersion = undefined;
      return;
    }
    const restartMs = restarted ? performance.now() - started : 0;
    this.onCheckpoint?.({ ms: result.ms, onEventLoop, restartMs, frames: result.log, restarted });
  }

  private changedRows(): number {
    return (this.totalChanges.get() as { changes: number }).changes;
  }

  private releaseThread(): void {
    if (!this.thread) return;
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
        this.seenVersion = undefined;
      });
    }
    return this.thread;
  }
}
