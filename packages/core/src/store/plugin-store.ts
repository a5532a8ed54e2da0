import type { Store, StoreSetOptions } from './store.js';
import type { RateLimit } from './token-bucket.js';

/**
 * A plugin's view of the robot's store (`bot.store`): its own keys only, and no `close` (the robot
 * owns the store). Type helpers with it so they accept `bot.store` and, in tests, a `MemoryStore`.
 * @example
 * class LastResults {
 *   constructor(private readonly store: PluginStore) {}
 *   record(target: string, result: CheckResult) { return this.store.set(`last:${target}`, result); }
 * }
 */
export type PluginStore = Omit<Store, 'close'>;

/** Plugin names that would share keys with the robot's own (`chatops:secret`, approvals, nonces). */
const RESERVED = new Set(['chatops']);

/**
 * The store as one plugin sees it: every key is kept as `<plugin>:<key>`, so plugins cannot read or
 * overwrite each other's state or the robot's (which holds the action-signing secret).
 *
 * @throws Error for a plugin name that contains `:` or is reserved.
 */
export function pluginStore(store: Store, plugin: string): PluginStore {
  if (plugin.includes(':') || RESERVED.has(plugin.toLowerCase())) {
    throw new Error(`"${plugin}" cannot be a plugin name (no ":", and "chatops" is reserved)`);
  }
  const prefix = `${plugin}:`;
  return {
    get: <T>(key: string) => store.get<T>(prefix + key),
    set: (key: string, value: unknown, options?: StoreSetOptions) => store.set(prefix + key, value, options),
    setIfAbsent: (key: string, value: unknown, options?: StoreSetOptions) =>
      store.setIfAbsent(prefix + key, value, options),
    compareAndSet: (key: string, expected: unknown, value: unknown, options?: StoreSetOptions) =>
      store.compareAndSet(prefix + key, expected, value, options),
    deleteIfEquals: (key: string, expected: unknown) => store.deleteIfEquals(prefix + key, expected),
    takeToken: (key: string, limit: RateLimit) => store.takeToken(prefix + key, limit),
    isAvailable: () => store.isAvailable(),
    delete: (key: string) => store.delete(prefix + key),
    keys: async (keyPrefix: string) =>
      (await store.keys(prefix + keyPrefix)).map((key) => key.slice(prefix.length)),
  };
}
