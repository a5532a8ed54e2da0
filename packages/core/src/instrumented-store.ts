import { processMetrics } from './metrics.js';
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
 * only). Other members pass through, bound to the store.
 */
export function instrumentStore(store: Store): Store {
  return new Proxy(store, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const method = (value as (...args: unknown[]) => unknown).bind(target);
      if (!OPERATIONS.has(property)) return method;
      const operation = String(property);
      return async (...args: unknown[]) => {
        processMetrics.storeOperations.inc({ operation });
        try {
          return await method(...args);
        } catch (error) {
          processMetrics.storeErrors.inc({ operation });
          throw error;
        }
      };
    },
  });
}
