import { z } from 'zod';
import { formatDuration, parseDuration } from '../shared/duration.js';

/**
 * Longest delay a Node.js timer can wait (about 24.8 days); longer ones fire at once. The `max` of a
 * {@link durationSchema} for any duration that ends up in `setTimeout`.
 *
 * @example
 * z.strictObject({ interval: durationSchema({ max: MAX_TIMER_MS }).default('5m') })
 */
export const MAX_TIMER_MS = 2_147_483_647;

/** Limits of a {@link durationSchema}. */
export interface DurationOptions {
  /** Whether `0` makes sense here (e.g. "do not wait"); by default a duration must be positive. */
  allowZero?: boolean;
  /** Largest value in milliseconds (e.g. {@link MAX_TIMER_MS} for a timer). */
  max?: number;
}

/**
 * The one config schema for durations: `500ms`, `30s`, `5m`, `1h`, `7d` or a number of milliseconds,
 * read as milliseconds. Anything else, a negative value, zero (unless `allowZero`) or more than `max` is a
 * validation error, so the config error names the key.
 *
 * @example
 * z.strictObject({ timeout: durationSchema({ max: MAX_TIMER_MS }).default('30s') })
 */
export function durationSchema(options: DurationOptions = {}) {
  return z.union([z.string(), z.number()]).transform((value, ctx) => {
    const milliseconds = parseDuration(value);
    if (milliseconds === undefined) {
      const negative = typeof value === 'number' ? value < 0 : value.trim().startsWith('-');
      ctx.addIssue({
        code: 'custom',
        message: negative
          ? `"${value}" is negative; a duration must be positive`
          : `"${value}" is not a duration (try 500ms, 30s, 5m, 1h, 7d)`,
      });
      return z.NEVER;
    }
    if (milliseconds === 0 && !options.allowZero) {
      ctx.addIssue({ code: 'custom', message: 'must be more than 0' });
      return z.NEVER;
    }
    if (options.max !== undefined && milliseconds > options.max) {
      ctx.addIssue({
        code: 'custom',
        message: `"${value}" is too long (at most ${formatDuration(options.max)})`,
      });
      return z.NEVER;
    }
    return milliseconds;
  });
}
