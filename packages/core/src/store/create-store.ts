import type { Logger } from 'pino';
import type { ChatopsConfig } from '../config/schema.js';
import { MemoryStore } from './memory-store.js';
import { RedisStore } from './redis-store.js';
import { SqliteStore } from './sqlite-store.js';
import type { Store } from './store.js';
import type { StoreOptions } from './store-value.js';

/** Options of {@link createStore}. */
export interface CreateStoreOptions extends StoreOptions {
  /** Told about imports and connection changes. */
  log?: Logger;
}

/** Opens the store the configuration asks for: `sqlite` (default), `redis` or `memory`. */
export async function createStore(
  config: ChatopsConfig['store'],
  options: CreateStoreOptions = {},
): Promise<Store> {
  const { log, ...storeOptions } = options;
  switch (config.type) {
    case 'memory':
      return new MemoryStore(storeOptions);
    case 'redis':
      return RedisStore.open({ url: config.url, prefix: config.prefix, ...(log ? { log } : {}) });
    case 'sqlite':
      return SqliteStore.open(config.path, {
        ...storeOptions,
        onImport: (file, entries) =>
          log?.info({ file, entries }, 'imported the former state file into SQLite'),
      });
  }
}
