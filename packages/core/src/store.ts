/** Options for a store write. */
export interface StoreSetOptions {
  /** Time to live in milliseconds; the key reads as absent afterwards. */
  ttlMs?: number;
  /**
   * Keep the key in this process's memory only, even in a durable store: for high-rate, short-lived
   * bookkeeping such as delivery ids, which would otherwise rewrite the state file on every message.
   */
  volatile?: boolean;
}

/**
 * Durable key/value state shared by the robot and plugins (approvals, nonces, monitor state).
 * Values are JSON-serializable.
 */
export interface Store {
  get<T = unknown>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, options?: StoreSetOptions): Promise<void>;
  /** Atomically sets the key only when absent; true when this call set it. */
  setIfAbsent(key: string, value: unknown, options?: StoreSetOptions): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Keys starting with `prefix` that are not expired. */
  keys(prefix: string): Promise<string[]>;
  close(): Promise<void>;
}
