import type { Store, StoreSetOptions } from '../store.js';

/** Options shared by the store backends. */
export interface StoreOptions {
  /** Clock for TTLs, in milliseconds; tests replace it. Default `Date.now`. */
  now?: () => number;
}

/** A stored value and when it expires (epoch milliseconds). */
export interface StoreEntry {
  value: unknown;
  expiresAt?: number;
  /** Not persisted by durable stores. */
  volatile?: boolean;
}

/** Expired keys are swept once every this many writes (reads drop them too). */
const SWEEP_EVERY = 1000;

/**
 * A {@link Store} kept in memory: lost on restart, for tests and throwaway bots. Values are copied
 * through JSON on the way in and out, so they behave as they would in a durable store.
 */
export class MemoryStore implements Store {
  protected readonly entries = new Map<string, StoreEntry>();
  protected readonly now: () => number;
  private writes = 0;

  constructor(options: StoreOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    const entry = this.live(key);
    return entry ? (copy(entry.value) as T) : undefined;
  }

  async set(key: string, value: unknown, options?: StoreSetOptions): Promise<void> {
    this.put(key, this.entry(key, value, options));
    if (!options?.volatile) await this.changed();
  }

  async setIfAbsent(key: string, value: unknown, options?: StoreSetOptions): Promise<boolean> {
    // Checked and set in one synchronous step, so concurrent callers cannot both win.
    if (this.live(key)) return false;
    this.put(key, this.entry(key, value, options));
    if (!options?.volatile) await this.changed();
    return true;
  }

  async delete(key: string): Promise<void> {
    if (this.entries.delete(key)) await this.changed();
  }

  async keys(prefix: string): Promise<string[]> {
    return [...this.entries.keys()].filter((key) => key.startsWith(prefix) && this.live(key)).sort();
  }

  async close(): Promise<void> {}

  /** Called after every change; durable stores persist here. */
  protected async changed(): Promise<void> {}

  /** The entry of `key` unless it has expired (expired entries are dropped). */
  protected live(key: string): StoreEntry | undefined {
    const entry = this.entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private put(key: string, entry: StoreEntry): void {
    this.entries.set(key, entry);
    if (++this.writes % SWEEP_EVERY === 0) {
      for (const candidate of [...this.entries.keys()]) this.live(candidate);
    }
  }

  private entry(key: string, value: unknown, options: StoreSetOptions | undefined): StoreEntry {
    const ttlMs = options?.ttlMs;
    if (ttlMs !== undefined && !(ttlMs > 0)) throw new Error(`store key "${key}": ttlMs must be positive`);
    const text = toJson(value);
    if (text === undefined) throw new Error(`store key "${key}": value must be JSON-serializable`);
    const entry: StoreEntry = { value: JSON.parse(text) };
    if (ttlMs !== undefined) entry.expiresAt = this.now() + ttlMs;
    if (options?.volatile) entry.volatile = true;
    return entry;
  }
}

function toJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined; // circular structures, BigInt
  }
}

function copy(value: unknown): unknown {
  return value !== null && typeof value === 'object' ? structuredClone(value) : value;
}
