import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { MemoryStore, type StoreEntry, type StoreOptions } from './memory-store.js';

/** The file's layout; `version` allows the format to change later. */
interface StoreFile {
  version: 1;
  entries: Record<string, StoreEntry>;
}

let tempCounter = 0;

/**
 * A {@link Store} kept in memory and saved to one JSON file after every change. Each save writes
 * a temporary file in the same directory, fsyncs it and renames it over the target, so a crash
 * leaves either the old or the new file, never a torn one. Saves run one at a time, and changes
 * made while a save runs are coalesced into the next one.
 */
export class FileStore extends MemoryStore {
  /** The save that will include the latest changes, while it has not started. */
  private queued: Promise<void> | undefined;
  /** The save in progress. */
  private saving: Promise<void> | undefined;
  private closed = false;

  private constructor(
    /** Absolute path of the JSON file. */
    readonly path: string,
    options: StoreOptions,
  ) {
    super(options);
  }

  /**
   * Opens (or creates on first write) the store file at `file`. A missing file is an empty store.
   *
   * @throws Error naming the file when it exists but is not a store file.
   */
  static async open(file: string, options: StoreOptions = {}): Promise<FileStore> {
    const store = new FileStore(path.resolve(file), options);
    await mkdir(path.dirname(store.path), { recursive: true });
    await store.removeStaleTempFiles();
    const data = await readStoreFile(store.path);
    const now = store.now();
    for (const [key, entry] of Object.entries(data?.entries ?? {})) {
      if (entry.expiresAt === undefined || entry.expiresAt > now) store.entries.set(key, entry);
    }
    return store;
  }

  /** Waits for pending saves; later writes are refused. */
  override async close(): Promise<void> {
    this.closed = true;
    await (this.queued ?? this.saving);
  }

  protected override changed(): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`store ${this.path} is closed`));
    if (this.queued) return this.queued;
    const save: Promise<void> = (this.saving ?? Promise.resolve())
      .catch(() => {}) // the previous save's caller got its error; this save retries everything
      .then(() => {
        this.queued = undefined;
        this.saving = save;
        return this.write(this.serialize());
      })
      .finally(() => {
        if (this.saving === save) this.saving = undefined;
      });
    this.queued = save;
    return save;
  }

  private serialize(): string {
    const entries: Record<string, StoreEntry> = {};
    for (const key of this.entries.keys()) {
      const entry = this.live(key);
      if (entry && !entry.volatile) entries[key] = entry;
    }
    const data: StoreFile = { version: 1, entries };
    return `${JSON.stringify(data)}\n`;
  }

  private async write(text: string): Promise<void> {
    const temp = `${this.path}.${process.pid}.${++tempCounter}.tmp`;
    try {
      const handle = await open(temp, 'w', 0o600);
      try {
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.path);
    } catch (error) {
      await unlink(temp).catch(() => {});
      throw error;
    }
    await syncDirectory(path.dirname(this.path));
  }

  /** Temporary files left by a process killed mid-save. */
  private async removeStaleTempFiles(): Promise<void> {
    const prefix = `${path.basename(this.path)}.`;
    const names = await readdir(path.dirname(this.path));
    const stale = names.filter((name) => name.startsWith(prefix) && /\.\d+\.\d+\.tmp$/.test(name));
    await Promise.all(stale.map((name) => unlink(path.join(path.dirname(this.path), name)).catch(() => {})));
  }
}

async function readStoreFile(file: string): Promise<StoreFile | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `store file ${file} is corrupt: ${(error as Error).message}; move it away to start empty`,
    );
  }
  if (!isStoreFile(data)) {
    throw new Error(`store file ${file} is not a chatops store file; move it away to start empty`);
  }
  return data;
}

function isStoreFile(data: unknown): data is StoreFile {
  if (data === null || typeof data !== 'object') return false;
  const { version, entries } = data as Partial<StoreFile>;
  if (version !== 1 || entries === null || typeof entries !== 'object' || Array.isArray(entries))
    return false;
  return Object.values(entries).every(
    (entry) =>
      entry !== null &&
      typeof entry === 'object' &&
      'value' in entry &&
      (entry.expiresAt === undefined || typeof entry.expiresAt === 'number'),
  );
}

/** Makes the rename itself durable; not every platform can open a directory, which is fine. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Best effort.
  }
}
