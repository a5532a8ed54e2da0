import type { Store, StoreSetOptions } from './store.js';
import { decodeValue, encodeValue, expiryOf, type StoreOptions } from './store-value.js';
import { type Bucket, fullAfterMs, type RateLimit, type TokenDecision, takeToken } from './token-bucket.js';

/** A stored value as JSON text and when it expires (epoch milliseconds). */
interface MemoryEntry {
  text: string;
  expiresAt?: number;
}

/** Expired keys are swept once every this many writes (reads drop them too). */
const SWEEP_EVERY = 1000;

/**
 * A {@link Store} kept in this process's memory: lost on restart, for tests and throwaway bots.
 * Values are kept as JSON text, so they behave as they would in a durable store. Each method
 * checks and changes in one synchronous step, so concurrent callers cannot both win.
 */
export class MemoryStore implements Store {
  private readonly entries = new Map<string, MemoryEntry>();
  private readonly now: () => number;
  private writes = 0;

  constructor(options: StoreOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    const entry = this.live(key);
    return entry ? decodeValue<T>(entry.text) : undefined;
  }

  async set(key: string, value: unknown, options?: StoreSetOptions): Promise<void> {
    this.put(key, this.entry(key, value, options));
  }

  async setIfAbsent(key: string, value: unknown, options?: StoreSetOptions): Promise<boolean> {
    const entry = this.entry(key, value, options);
    if (this.live(key)) return false;
    this.put(key, entry);
    return true;
  }

  async compareAndSet(
    key: string,
    expected: unknown,
    value: unknown,
    options?: StoreSetOptions,
  ): Promise<boolean> {
    const entry = this.entry(key, value, options);
    if (this.live(key)?.text !== encodeValue(key, expected)) return false;
    this.put(key, entry);
    return true;
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async deleteIfEquals(key: string, expected: unknown): Promise<boolean> {
    if (this.live(key)?.text !== encodeValue(key, expected)) return false;
    return this.entries.delete(key);
  }

  async takeToken(key: string, limit: RateLimit): Promise<TokenDecision> {
    const entry = this.live(key);
    const decision = takeToken(entry ? decodeValue<Bucket>(entry.text) : undefined, limit, this.now());
    if (decision.next) this.put(key, this.entry(key, decision.next, { ttlMs: fullAfterMs(limit) }));
    return { allowed: decision.allowed, tokens: decision.tokens };
  }

  async keys(prefix: string): Promise<string[]> {
    return [...this.entries.keys()].filter((key) => key.startsWith(prefix) && this.live(key)).sort();
  }

  isAvailable(): boolean {
    return true;
  }

  async close(): Promise<void> {}

  /** The entry of `key` unless it has expired (expired entries are dropped). */
  private live(key: string): MemoryEntry | undefined {
    const entry = this.entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private put(key: string, entry: MemoryEntry): void {
    this.entries.set(key, entry);
    if (++this.writes % SWEEP_EVERY === 0) {
      for (const candidate of [...this.entries.keys()]) this.live(candidate);
    }
  }

  private entry(key: string, value: unknown, options: StoreSetOptions | undefined): MemoryEntry {
    const expiresAt = expiryOf(key, options, this.now());
    const text = encodeValue(key, value);
    return expiresAt === undefined ? { text } : { text, expiresAt };
  }
}
