import type { z } from 'zod';
import { ConfigError } from './config-error.js';
import { formatZodError } from './format-zod-error.js';

/**
 * Validates one block of the config (a plugin's or an adapter's) with its own schema; on error throws a
 * one-line ConfigError naming the full key, e.g. `plugins.ping.targets.uat.url: expected string`.
 */
export function validateSection<T>(schema: z.ZodType<T>, raw: unknown, path: readonly string[]): T {
  // Parsed once, at start: without zod's compiled fast path, which costs more to build than it saves.
  const parsed = schema.safeParse(raw, { jitless: true });
  if (parsed.success) return parsed.data;
  const message = formatZodError(parsed.error, schema, raw);
  const rooted = (parsed.error.issues[0]?.path.length ?? 0) > 0;
  throw new ConfigError(`config error: ${path.join('.')}${rooted ? '.' : ': '}${message}`);
}
