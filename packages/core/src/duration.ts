import ms, { type StringValue } from 'ms';

/** Parses `30s`, `5m`, `1h`, `2d` or a number of milliseconds; undefined when it is not a duration. */
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

/** Formats milliseconds for people: `850ms`, `12.3s`, `4m 5s`. */
export function formatDuration(milliseconds: number): string {
  if (milliseconds < 1000) return `${Math.round(milliseconds)}ms`;
  if (milliseconds < 60_000) return `${(milliseconds / 1000).toFixed(1).replace(/\.0$/, '')}s`;
  const minutes = Math.floor(milliseconds / 60_000);
  const seconds = Math.round((milliseconds % 60_000) / 1000);
  return seconds ? `${minutes}m ${seconds}s` : `${minutes}m`;
}
