import type { DatabaseSync, StatementSync } from 'node:sqlite';

/** What one checkpoint did, for {@link SqliteStoreOptions.onCheckpoint}. */
export interface CheckpointReport {
  /** Time the checkpoint (and the log restart after it) held the event loop. */
  ms: number;
  /** Frames in the WAL when it ran. */
  frames: number;
  /** Whether the WAL was fully copied back and restarted from its beginning. */
  restarted: boolean;
}

/** Frames the restart write leaves in the WAL (one page of the one-row `wal_upkeep` table). */
const RESTART_FRAMES = 1;

/**
 * Keeps a WAL-mode database's log short without putting an fsync on any change. SQLite's automatic
 * checkpoint runs inside the change that fills the log; here a timer calls {@link run} instead.
 * After a full checkpoint the next write restarts the log from its beginning and fsyncs the log
 * header, so {@link run} makes that write itself (one row of its own table) rather than leaving it
 * to the next change. Nothing is done while the database has not changed, which also keeps the
 * restart write's frame in the log, so the next change appends to it without a restart.
 */
export class WalUpkeep {
  private readonly checkpoint: StatementSync;
  private readonly dataVersion: StatementSync;
  private readonly restart: StatementSync;
  private changed = true;
  private seenVersion: unknown;

  constructor(
    db: DatabaseSync,
    private readonly onCheckpoint?: (report: CheckpointReport) => void,
  ) {
    db.exec('CREATE TABLE IF NOT EXISTS wal_upkeep (id INTEGER PRIMARY KEY, restarted_at INTEGER NOT NULL)');
    this.checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
    // Changes by other connections (other processes sharing the file) bump it; our own do not.
    this.dataVersion = db.prepare('PRAGMA data_version');
    this.restart = db.prepare('INSERT OR REPLACE INTO wal_upkeep (id, restarted_at) VALUES (1, :now)');
  }

  /** Called by the store after each change it makes. */
  noteChange(): void {
    this.changed = true;
  }

  /** Checkpoints and restarts the log when anything changed since the last time. */
  run(): void {
    const version = (this.dataVersion.get() as { data_version: number }).data_version;
    if (!this.changed && version === this.seenVersion) return;
    const started = performance.now();
    const { busy, log, checkpointed } = this.checkpoint.get() as {
      busy: number;
      log: number;
      checkpointed: number;
    };
    const complete = busy === 0 && checkpointed === log;
    // A log holding only a restart frame (ours, or another process's) is left as it is.
    const restarted = complete && log > RESTART_FRAMES;
    if (restarted) this.restart.run({ now: Date.now() });
    // A checkpoint held up by a reader of an older snapshot is tried again next time.
    this.changed = !complete;
    this.seenVersion = version;
    this.onCheckpoint?.({ ms: performance.now() - started, frames: log, restarted });
  }
}
