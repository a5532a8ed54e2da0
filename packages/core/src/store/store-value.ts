import type { StoreSetOptions } from './store.js';

/**
 * The JSON text a store keeps for `value`.
 *
 * @throws Error naming the key when the value cannot be stored as JSON.
 */
export function encodeValue(key: string, value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined; // circular structures, BigInt
  }
  if (text === undefined) throw new Error(`store key "${key}": value must be JSON-serializable`);
  return text;
}

/**
 * The TTL of a write with `options` in whole milliseconds, or undefined when it never expires.
 *
 * @throws Error naming the key when the TTL is not positive.
 */
export function ttlOf(key: string, options: StoreSetOptions | undefined): number | undefined {
  const ttlMs = options?.ttlMs;
  if (ttlMs === undefined) return undefined;
  if (!(ttlMs > 0)) throw new Error(`store key "${key}": ttlMs must be positive`);
  return Math.ceil(ttlMs);
}

/** The epoch millisecond at which a write with `options` expires, or undefined when it never does. */
export function expiryOf(key: string, options: StoreSetOptions | undefined, now: number): number | undefined {
  const ttlMs = ttlOf(key, options);
  return ttlMs === undefined ? undefined : now + ttlMs;
}

/** Reads stored JSON text back into a fresh value. */
export function decodeValue<T>(text: string): T {
  return JSON.parse(text) as T;
}

/** Options shared by the store backends. */
export interface StoreOptions {
  /** Clock for TTLs, in milliseconds; tests replace it. Default `Date.now`. */
  now?: () => number;
}
