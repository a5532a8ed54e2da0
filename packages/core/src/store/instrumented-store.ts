import { processMetrics } from '../runtime/metrics.js';
import type { Store } from './store.js';

const OPERATIONS = new Set<PropertyKey>([
  'get',
  'set',
  'setIfAbsent',
  'compareAndSet',
  'deleteIfEquals',
  'takeToken',
  'delete',
  'keys',
]);

/**
 * The store with each operation and each failure counted on `/metrics` (labelled by method name
 * only). Other members pass through, bound to the store. The wrappers are made once per method.
 */
export function instrumentStore(store: Store): Store {
  const wrappers = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const known = wrappers.get(property);
      if (known) return known;
      const method = (value as (...args: unknown[]) => unknown).bind(target);
      const wrapper = OPERATIONS.has(property) ? counted(String(property), method) : method;
      wrappers.set(property, wrapper);
      return wrapper;
    },
  });
}

function counted(operation: string, method: (...args: unknown[]) => unknown) {
  return async (...args: unknown[]) => {
    processMetrics.storeOperations.inc({ operation });
    try {
      return await method(...args);
    } catch (error) {
      processMetrics.storeErrors.inc({ operation });
      throw error;
    }
  };
}
