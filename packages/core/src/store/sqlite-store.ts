import { mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { readLegacyStateFile } from './legacy-state-file.js';
import { loadNodeSqlite } from './load-node-sqlite.js';
import { type CheckpointReport, WalUpkeep } from './sqlite-wal-upkeep.js';
import type { Store, StoreSetOptions } from './store.js';
import { decodeValue, encodeValue, expiryOf, type StoreOptions } from './store-value.js';
import { type Bucket, fullAfterMs, type RateLimit, type TokenDecision, takeToken } from './token-bucket.js';

/** Options of {@link SqliteStore.open}. */
export interface SqliteStoreOptions extends StoreOptions {
  /** How often expired rows are deleted; default one minute. */
  sweepEveryMs?: number;
  /**
   * A `state.json` of the former file store to import on open (then renamed `state.json.migrated`);
   * default: `state.json` beside the database. `false` skips the import.
   */
  importFrom?: string | false;
  /** Told how many entries were imported. */
  onImport?: (file: string, entries: number) => void;
  /** How often the WAL is checkpointed; default once a second. */
  checkpointEveryMs?: number;
  /** Told what each background checkpoint did and how long it took (the benchmark reports it). */
  onCheckpoint?: (report: CheckpointReport) => void;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS entries (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  expires_at INTEGER
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entries_expires_at ON entries (expires_at) WHERE expires_at IS NOT NULL;
`;

const LIVE = '(expires_at IS NULL OR expires_at > :now)';

/** Expired rows deleted per transaction by the sweep, which yields to the event loop in between. */
const SWEEP_BATCH = 500;

/** The highest code point: `prefix + KEY_END` sorts after every key that starts with `prefix`. */
const KEY_END = '\u{10FFFF}';

/**
 * A {@link Store} in one SQLite database file (Node's built-in `node:sqlite`), in WAL mode: each
 * change is one small transaction, so its cost does not grow with the amount of state. The WAL is
 * checkpointed once a second by a thread of its own rather than by the change that happens to fill it
 * (see {@link WalUpkeep}). TTLs live in an indexed expiry column: expired rows read as absent and are
 * deleted by a background sweep, a few hundred rows per transaction.
 * Set-if-absent and compare-and-set are single conditional statements, atomic across every process
 * on the host that opens the same file (writers wait for each other up to `busy_timeout`).
 */
export class SqliteStore implements Store {
  private readonly statements: Record<
    | 'get'
    | 'set'
    | 'setIfAbsent'
    | 'compareAndSet'
    | 'delete'
    | 'deleteIfEquals'
    | 'keysAll'
    | 'keysPrefix'
    | 'sweep',
    StatementSync
  >;
  private readonly sweeper: NodeJS.Timeout;
  private readonly checkpointer: NodeJS.Timeout;
  private readonly upkeep: WalUpkeep;
  private sweeping = false;
  private closed = false;

  private constructor(
    /** Absolute path of the database file. */
    readonly path: string,
    private readonly db: DatabaseSync,
    private readonly now: () => number,
    sweepEveryMs: number,
    options: SqliteStoreOptions,
  ) {
    const statement = (sql: string) => db.prepare(sql);
    this.statements = {
      get: statement(`SELECT value FROM entries WHERE key = :key AND ${LIVE}`),
      set: statement(
        `INSERT INTO entries (key, value, expires_at) VALUES (:key, :value, :expiresAt)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
      ),
      setIfAbsent: statement(
        `INSERT INTO entries (key, value, expires_at) VALUES (:key, :value, :expiresAt)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
         WHERE entries.expires_at IS NOT NULL AND entries.expires_at <= :now`,
      ),
      compareAndSet: statement(
        `UPDATE entries SET value = :value, expires_at = :expiresAt
         WHERE key = :key AND value = :expected AND ${LIVE}`,
      ),
      delete: statement('DELETE FROM entries WHERE key = :key'),
      deleteIfEquals: statement(`DELETE FROM entries WHERE key = :key AND value = :expected AND ${LIVE}`),
      keysAll: statement(`SELECT key FROM entries WHERE ${LIVE} ORDER BY key`),
      keysPrefix: statement(
        `SELECT key FROM entries WHERE key >= :from AND key < :to AND ${LIVE} ORDER BY key`,
      ),
      sweep: statement(
        `DELETE FROM entries WHERE key IN
         (SELECT key FROM entries WHERE expires_at <= :now LIMIT ${SWEEP_BATCH})`,
      ),
    };
    this.upkeep = new WalUpkeep(db, path, options.onCheckpoint);
    // Background upkeep; a failure (another process holding a lock too long) is retried next time.
    const quietly = (work: () => unknown) => () => {
      try {
        if (!this.closed) work();
      } catch {}
    };
    this.sweeper = setInterval(() => {
      if (this.sweeping || this.closed) return;
      this.sweeping = true;
      this.sweep()
        .catch(() => {})
        .finally(() => {
          this.sweeping = false;
        });
    }, sweepEveryMs);
    this.sweeper.unref();
    this.checkpointer = setInterval(
      quietly(() => this.upkeep.run()),
      // A passive checkpoint never waits for readers or writers.
      options.checkpointEveryMs ?? 1000,
    );
    this.checkpointer.unref();
  }

  /**
   * Opens (creating it and its directory when missing) the database at `file`, and imports the
   * former file store's `state.json` when there is one.
   *
   * @throws Error naming the file when it cannot be opened or the state file cannot be imported.
   */
  static async open(file: string, options: SqliteStoreOptions = {}): Promise<SqliteStore> {
    const absolute = path.resolve(file);
    await mkdir(path.dirname(absolute), { recursive: true });
    const { DatabaseSync } = await loadNodeSqlite();
    let db: DatabaseSync;
    try {
      db = new DatabaseSync(absolute);
      db.exec('PRAGMA busy_timeout = 5000');
      db.exec('PRAGMA journal_mode = WAL');
      db.exec('PRAGMA synchronous = NORMAL');
      // Checkpoints (the fsyncs of WAL mode) run on a timer, not inside whichever change fills the WAL.
      db.exec('PRAGMA wal_autocheckpoint = 0');
      db.exec(SCHEMA);
    } catch (error) {
      throw new Error(`state database ${absolute}: ${(error as Error).message}`, { cause: error });
    }
    const store = new SqliteStore(
      absolute,
      db,
      options.now ?? Date.now,
      options.sweepEveryMs ?? 60_000,
      options,
    );
    const legacy = options.importFrom ?? path.join(path.dirname(absolute), 'state.json');
    if (legacy !== false) {
      try {
        await store.importLegacy(path.resolve(legacy), options.onImport);
      } catch (error) {
        await store.close();
        throw error;
      }
    }
    return store;
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    const row = this.run('get', (s) => s.get({ key, now: this.now() })) as { value: string } | undefined;
    return row ? decodeValue<T>(row.value) : undefined;
  }

  async set(key: string, value: unknown, options?: StoreSetOptions): Promise<void> {
    const row = this.row(key, value, options);
    this.run('set', (s) => s.run(row));
  }

  async setIfAbsent(key: string, value: unknown, options?: StoreSetOptions): Promise<boolean> {
    const row = this.row(key, value, options);
    return this.run('setIfAbsent', (s) => s.run({ ...row, now: this.now() })).changes === 1;
  }

  async compareAndSet(
    key: string,
    expected: unknown,
    value: unknown,
    options?: StoreSetOptions,
  ): Promise<boolean> {
    const row = { ...this.row(key, value, options), expected: encodeValue(key, expected), now: this.now() };
    return this.run('compareAndSet', (s) => s.run(row)).changes === 1;
  }

  async delete(key: string): Promise<void> {
    this.run('delete', (s) => s.run({ key }));
  }

  async deleteIfEquals(key: string, expected: unknown): Promise<boolean> {
    const row = { key, expected: encodeValue(key, expected), now: this.now() };
    return this.run('deleteIfEquals', (s) => s.run(row)).changes === 1;
  }

  /** Read, refill and write in one immediate transaction, so processes sharing the file queue up. */
  async takeToken(key: string, limit: RateLimit): Promise<TokenDecision> {
    const now = this.now();
    return this.transaction(() => {
      const row = this.statements.get.get({ key, now }) as { value: string } | undefined;
      const decision = takeToken(row ? decodeValue<Bucket>(row.value) : undefined, limit, now);
      if (decision.next) {
        this.statements.set.run({
          key,
          value: JSON.stringify(decision.next),
          expiresAt: now + fullAfterMs(limit),
        });
      }
      return { allowed: decision.allowed, tokens: decision.tokens };
    });
  }

  async keys(prefix: string): Promise<string[]> {
    const rows = (
      prefix === ''
        ? this.run('keysAll', (s) => s.all({ now: this.now() }))
        : this.run('keysPrefix', (s) => s.all({ from: prefix, to: prefix + KEY_END, now: this.now() }))
    ) as { key: string }[];
    return rows.map((row) => row.key);
  }

  isAvailable(): boolean {
    return !this.closed;
  }

  /**
   * Deletes expired rows (the background sweep; reads already skip them), {@link SWEEP_BATCH} per
   * transaction with a turn of the event loop in between, so changes are not held up behind it.
   * Resolves with the number deleted.
   */
  async sweep(): Promise<number> {
    let deleted = 0;
    for (;;) {
      if (this.closed) return deleted;
      const batch = Number(this.run('sweep', (s) => s.run({ now: this.now() })).changes);
      deleted += batch;
      if (batch < SWEEP_BATCH) return deleted;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Whether its WAL checkpointing thread is up: it starts with the first change and stops after a quiet spell. */
  get checkpointThreadRunning(): boolean {
    return this.upkeep.threadRunning;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.sweeper);
    clearInterval(this.checkpointer);
    await this.upkeep.close();
    this.db.close();
  }

  private row(key: string, value: unknown, options: StoreSetOptions | undefined) {
    const expiresAt = expiryOf(key, options, this.now()) ?? null;
    return { key, value: encodeValue(key, value), expiresAt };
  }

  private transaction<T>(work: () => T): T {
    if (this.closed) throw new Error(`store ${this.path} is closed`);
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  private run<T>(name: keyof SqliteStore['statements'], use: (statement: StatementSync) => T): T {
    if (this.closed) throw new Error(`store ${this.path} is closed`);
    return use(this.statements[name]);
  }

  /** One transaction for the whole file; keys already in the database win (a second importer is harmless). */
  private async importLegacy(file: string, onImport: SqliteStoreOptions['onImport']): Promise<void> {
    const entries = await readLegacyStateFile(file);
    if (!entries) return;
    const now = this.now();
    const insert = this.db.prepare(
      'INSERT OR IGNORE INTO entries (key, value, expires_at) VALUES (:key, :value, :expiresAt)',
    );
    const imported = this.transaction(() => {
      let count = 0;
      for (const [key, entry] of Object.entries(entries)) {
        if (entry.expiresAt !== undefined && entry.expiresAt <= now) continue;
        const value = encodeValue(key, entry.value);
        count += Number(insert.run({ key, value, expiresAt: entry.expiresAt ?? null }).changes);
      }
      return count;
    });
    await rename(file, `${file}.migrated`);
    onImport?.(file, imported);
  }
}
