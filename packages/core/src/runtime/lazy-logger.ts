import type { Logger } from 'pino';

/**
 * A child logger created on first use. Most requests log nothing, and pino's `child()` runs the
 * secret redaction over its bindings, which would otherwise be paid on every message.
 */
export function lazyChild(parent: Logger, bindings: Record<string, unknown>): Logger {
  let child: Logger | undefined;
  const real = () => {
    child ??= parent.child(bindings);
    return child;
  };
  return new Proxy(parent, {
    get(_target, key) {
      const logger = real();
      const value = Reflect.get(logger, key, logger);
      return typeof value === 'function' ? value.bind(logger) : value;
    },
    set(_target, key, value) {
      return Reflect.set(real(), key, value);
    },
    has(_target, key) {
      return Reflect.has(real(), key);
    },
  });
}
