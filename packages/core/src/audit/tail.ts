import { listAuditFiles } from './audit-files.js';
import type { AuditRecord } from './audit-record.js';
import { findChains } from './find-chains.js';
import { readLinesBackward } from './line-reader.js';

/** Options of {@link readAuditTail}. */
export interface AuditTailOptions {
  /** How many records, default 20. */
  n?: number;
  /**
   * Only records of this user: a principal key (`slack:U1`, also matching approver and requester),
   * `email:<address>`, or a part of the display name (case-insensitive).
   */
  user?: string;
}

function parseRecord(bytes: Buffer): AuditRecord | undefined {
  try {
    const value = JSON.parse(bytes.toString('utf8')) as Partial<AuditRecord> | null;
    const fields = [value?.time, value?.principal, value?.target];
    return fields.every((field) => typeof field === 'string') ? (value as AuditRecord) : undefined;
  } catch {
    return undefined;
  }
}

function matchesUser(record: AuditRecord, user: string): boolean {
  const wanted = user.toLowerCase();
  if (wanted.startsWith('email:')) return record.email?.toLowerCase() === wanted.slice('email:'.length);
  const keys = [record.principal, record.approver, record.requester];
  if (keys.some((key) => key?.toLowerCase() === wanted)) return true;
  return typeof record.name === 'string' && record.name.toLowerCase().includes(wanted);
}

/**
 * The last `n` records (newest last), optionally of one user, reading the current file backwards and
 * then older rotated files as needed. Lines that do not parse are skipped; use `verifyAuditLog` to
 * check integrity.
 */
export async function readAuditTail(path: string, options: AuditTailOptions = {}): Promise<AuditRecord[]> {
  const n = options.n ?? 20;
  const found: AuditRecord[] = [];
  if (n <= 0) return found;
  const rotated = (await listAuditFiles(path)).rotated.map((file) => file.path).reverse();
  for (const file of [path, ...rotated]) {
    for await (const { bytes } of readLinesBackward(file)) {
      const record = parseRecord(bytes);
      if (!record || (options.user && !matchesUser(record, options.user))) continue;
      found.push(record);
      if (found.length === n) return found.reverse();
    }
  }
  return found.reverse();
}

/**
 * The last `n` records across several chains (files or directories of them, e.g. one per replica),
 * merged by time, newest last.
 */
export async function readMergedTail(
  paths: string[],
  options: AuditTailOptions = {},
): Promise<AuditRecord[]> {
  const n = options.n ?? 20;
  const all: AuditRecord[] = [];
  for (const chain of await findChains(paths)) all.push(...(await readAuditTail(chain, options)));
  // A stable sort keeps each chain's own order among lines of the same millisecond.
  return all.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0)).slice(-n);
}

function formatValue(value: unknown): string {
  if (typeof value === 'string' && /^[^\s"'=]+$/.test(value)) return value;
  return JSON.stringify(value) ?? String(value);
}

function formatArgs(args: Record<string, unknown> | undefined): string {
  if (!args) return '';
  const positional = Array.isArray(args['_']) ? (args['_'] as unknown[]).map(formatValue) : [];
  const named = Object.entries(args)
    .filter(([key, value]) => key !== '_' && key !== '--' && value !== undefined)
    .map(([key, value]) => `${key}=${formatValue(value)}`);
  return [...positional, ...named].join(' ');
}

/**
 * One line for people: time, who, decision or outcome, target and args, then where, approver,
 * duration, reason or error and the correlation id.
 */
export function formatAuditRecord(record: AuditRecord): string {
  const time = record.time.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  const parts = [
    time,
    ...(record.instance ? [`[${record.instance}]`] : []),
    `${record.name ?? '?'} (${record.principal})`,
    record.decision ?? record.outcome ?? record.event,
  ];
  parts.push(record.target);
  const args = formatArgs(record.args);
  if (args) parts.push(args);
  if (record.conversation?.name) parts.push(`in ${record.conversation.name}`);
  if (record.approver) parts.push(`by ${record.approver}`);
  if (record.requester && record.requester !== record.principal) parts.push(`for ${record.requester}`);
  if (record.durationMs !== undefined) parts.push(`(${record.durationMs} ms)`);
  if (record.reason) parts.push(`— ${record.reason}`);
  if (record.error) parts.push(`— error: ${record.error}`);
  parts.push(`[${record.id}]`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters would break the one line
  return parts.join(' ').replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ');
}
