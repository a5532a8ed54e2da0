import ms, { type StringValue } from 'ms';

/**
 * Parses `30s`, `5m`, `1h`, `2d` or a number of milliseconds; undefined when it is not a duration.
 * For a duration typed in chat (config blocks use {@link durationSchema}).
 *
 * @example
 * const ms = parseDuration(ctx.args.for); // '5m' gives 300000
 * if (ms === undefined) throw new UsageError('--for takes a duration such as 30s, 5m or 1h');
 */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const parsed = ms(value.trim() as StringValue);
  return typeof parsed === 'number' && Number.isFinite(parsed) && parsed >= 0 ? parsed : undefined;
}

/** Like `parseDuration` but throws a short error naming `what`. */
export function requireDuration(value: string | number, what: string): number {
  const parsed = parseDuration(value);
  if (parsed === undefined) throw new Error(`${what}: "${value}" is not a duration (try 30s, 5m, 1h)`);
  return parsed;
}

const UNITS: readonly [string, number][] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
];

/**
 * Formats milliseconds for people: `850ms`, `12.3s`, `4m 5s`, `15m`, `2h 30m`, `30d`. From a minute
 * up, the time is rounded to whole seconds and shown in its largest unit and the next one.
 *
 * @example
 * formatDuration(850); // '850ms'
 * formatDuration(150_000); // '2m 30s'
 */
export function formatDuration(milliseconds: number): string {
  if (Math.round(milliseconds) < 1000) return `${Math.round(milliseconds)}ms`;
  const tenths = Math.round(milliseconds / 100);
  if (tenths < 600) return `${(tenths / 10).toFixed(1).replace(/\.0$/, '')}s`;
  let rest = Math.round(milliseconds / 1000) * 1000;
  const parts: string[] = [];
  for (const [unit, size] of UNITS) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (parts.length > 0) {
      if (count > 0) parts.push(`${count}${unit}`);
      break;
    }
    if (count > 0) parts.push(`${count}${unit}`);
  }
  return parts.join(' ');
}
