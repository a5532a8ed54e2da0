import type { RateLimit, TokenDecision } from './token-bucket.js';

/** Options for a store write. */
export interface StoreSetOptions {
  /** Time to live in milliseconds; the key reads as absent afterwards. */
  ttlMs?: number;
}

/**
 * Durable key/value state shared by the robot, plugins and, on a shared backend, every replica
 * (approvals, nonces, delivery ids, rate-limit buckets, leases). Values are JSON-serializable.
 *
 * Every method is one atomic step against the backend: `setIfAbsent` and `compareAndSet` are how
 * concurrent callers, in one process or many, agree on who acts (single use, approval transitions,
 * leases). Methods reject with {@link StoreUnavailableError} when the backend cannot be reached.
 *
 * @example
 * // Only the first delivery of an event is handled, on any replica:
 * if (!(await host.store.setIfAbsent(`irc:event:${id}`, true, { ttlMs: 600_000 }))) return;
 */
export interface Store {
  get<T = unknown>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, options?: StoreSetOptions): Promise<void>;
  /** Atomically sets the key only when absent (or expired); true when this call set it. */
  setIfAbsent(key: string, value: unknown, options?: StoreSetOptions): Promise<boolean>;
  /**
   * Atomically replaces the value only while it is still `expected` (compared as JSON text, so pass
   * back the value exactly as `get` returned it); true when replaced. A missing key never matches.
   */
  compareAndSet(key: string, expected: unknown, value: unknown, options?: StoreSetOptions): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Atomically deletes the key only while its value is still `expected`; true when deleted. */
  deleteIfEquals(key: string, expected: unknown): Promise<boolean>;
  /**
   * Atomically takes one token from the token bucket at `key` (created full on first use, expiring
   * once it would be full again); the decision and the tokens left.
   */
  takeToken(key: string, limit: RateLimit): Promise<TokenDecision>;
  /** Keys starting with `prefix` that are not expired, sorted. */
  keys(prefix: string): Promise<string[]>;
  /** False while the backend is unreachable (a shared store reconnects by itself). */
  isAvailable(): boolean;
  close(): Promise<void>;
}

/**
 * The store's backend cannot be reached; callers fail closed and ask the user to try again. A
 * {@link Store} implementation throws it for connection failures (not for bad values).
 *
 * @example
 * try {
 *   await this.redis.set(key, value);
 * } catch (error) {
 *   throw new StoreUnavailableError(error);
 * }
 */
export class StoreUnavailableError extends Error {
  constructor(cause?: unknown) {
    super('state store unavailable, try again', cause === undefined ? undefined : { cause });
    this.name = 'StoreUnavailableError';
  }
}
