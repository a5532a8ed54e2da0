/** Options of {@link TtlCache}. */
export interface TtlCacheOptions {
  /** How long an entry stays fresh, in milliseconds. */
  ttlMs: number;
  /** At most this many entries; when full, expired entries go first, then the oldest. Default 10,000. */
  maxEntries?: number;
  /** Clock (milliseconds); tests replace it. Default `Date.now`. */
  now?: () => number;
}

interface Entry<V> {
  value: Promise<V>;
  expires: number;
}

/**
 * A bounded map whose entries expire, for directory look-ups (users, channels). Concurrent `get`s of a
 * missing key share one load, and a failed load is not cached, so the next `get` tries again.
 *
 * @example
 * const users = new TtlCache<User>({ ttlMs: 5 * 60_000 });
 * const user = await users.get(id, () => api.getUser(id));
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: TtlCacheOptions) {
    this.ttlMs = options.ttlMs;
    this.maxEntries = Math.max(1, options.maxEntries ?? 10_000);
    this.now = options.now ?? Date.now;
  }

  /** The fresh value of `key`, or the result of `load` (stored) when it is missing or expired. */
  get(key: string, load: () => Promise<V>): Promise<V> {
    const entry = this.entries.get(key);
    if (entry && entry.expires > this.now()) return entry.value;
    const value = load();
    this.store(key, value);
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  /** Stores a value known from elsewhere (e.g. a listing that returned the whole record). */
  set(key: string, value: V): void {
    this.store(key, Promise.resolve(value));
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Entries held, fresh or not yet evicted. */
  get size(): number {
    return this.entries.size;
  }

  private store(key: string, value: Promise<V>): void {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.evict();
    this.entries.set(key, { value, expires: this.now() + this.ttlMs });
  }

  private evict(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expires <= now) this.entries.delete(key);
    // Map order is insertion order, and `store` re-inserts, so the first keys are the oldest.
    for (const key of this.entries.keys()) {
      if (this.entries.size < this.maxEntries) break;
      this.entries.delete(key);
    }
  }
}
