import { readFileSync } from 'node:fs';
import { open, readFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { resolve } from 'node:path';

/** Who holds an audit log's lock, as written in its `.lock` file. */
export interface AuditLockHolder {
  pid: number;
  host: string;
  /** The holder's command line, for the message. */
  command: string;
  /** ISO time the lock was taken. */
  since: string;
  /** The process's start time from `/proc` (Linux), to tell a reused pid from the holder. */
  start?: string;
}

/** Another live process writes this audit log: appending too would fork its chain. */
export class AuditLogLockedError extends Error {
  override name = 'AuditLogLockedError';
  constructor(
    readonly path: string,
    readonly holder: AuditLockHolder | undefined,
  ) {
    const who = holder
      ? `process ${holder.pid} on ${holder.host} (${holder.command}, since ${holder.since})`
      : 'another process (its lock file cannot be read)';
    super(
      `audit log ${path} is being written by ${who}; a second writer would fork the hash chain. ` +
        'Stop it first, or give this process its own audit.path',
    );
  }
}

/** The path of the lock file of an audit log. */
export function lockPath(path: string): string {
  return `${path}.lock`;
}

/** Paths this process holds the lock of. */
const heldHere = new Set<string>();

/** A process's start time (clock ticks since boot) on Linux; undefined elsewhere or when it is gone. */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/**
 * A lock is stale when its holder on this host is gone: its pid is dead, is this very process
 * (a restarted container often gets the same pid) without holding it, or belongs to a process
 * started at another time (the pid was reused).
 */
function isStale(path: string, holder: AuditLockHolder): boolean {
  if (holder.host !== hostname()) return false;
  if (holder.pid === process.pid) return !heldHere.has(resolve(path));
  if (!isAlive(holder.pid)) return true;
  const start = processStart(holder.pid);
  return holder.start !== undefined && start !== undefined && start !== holder.start;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readHolder(path: string): Promise<AuditLockHolder | undefined> {
  try {
    const value = JSON.parse(await readFile(path, 'utf8')) as Partial<AuditLockHolder>;
    if (typeof value.pid !== 'number' || typeof value.host !== 'string') return undefined;
    return {
      pid: value.pid,
      host: value.host,
      command: String(value.command ?? '?'),
      since: String(value.since ?? '?'),
      ...(typeof value.start === 'string' ? { start: value.start } : {}),
    };
  } catch {
    return undefined;
  }
}

/**
 * Takes the single-writer lock of an audit log (a `.lock` file created exclusively, holding the pid).
 * A lock left by a process of this host that is gone is taken over; a live holder, or one on another
 * host (whose processes cannot be checked: remove its lock file once that host is gone), makes this
 * throw {@link AuditLogLockedError} at once. Returns the release function.
 */
export async function lockAuditLog(path: string): Promise<() => Promise<void>> {
  const file = lockPath(path);
  const me: AuditLockHolder = {
    pid: process.pid,
    host: hostname(),
    command: process.argv.slice(1).join(' ').slice(0, 200),
    since: new Date().toISOString(),
  };
  const start = processStart(process.pid);
  if (start) me.start = start;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(file, 'wx', 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(me)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      heldHere.add(resolve(path));
      return async () => {
        heldHere.delete(resolve(path));
        const holder = await readHolder(file);
        if (holder?.pid === me.pid && holder.host === me.host) await unlink(file).catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readHolder(file);
    if (!holder || !isStale(path, holder)) throw new AuditLogLockedError(path, holder);
    await unlink(file).catch(() => undefined);
  }
  throw new AuditLogLockedError(path, await readHolder(file));
}
