import type { ChatopsConfig } from '../config/schema.js';
import type { Store } from '../store.js';
import { FileStore } from './file-store.js';
import { MemoryStore, type StoreOptions } from './memory-store.js';

/** Opens the store the configuration asks for (`store: { type: file, path }` or `memory`). */
export async function createStore(
  config: ChatopsConfig['store'],
  options: StoreOptions = {},
): Promise<Store> {
  switch (config.type) {
    case 'memory':
      return new MemoryStore(options);
    case 'file':
      return FileStore.open(config.path, options);
  }
}
