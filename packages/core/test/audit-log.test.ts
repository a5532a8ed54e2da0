import { appendFile, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AuditLog,
  AuditLogCorruptError,
  type AuditRecord,
  type AuditSink,
  GENESIS_HASH,
  hashLine,
  MemoryAuditSink,
  REDACTED,
  verifyAuditLog,
} from '../src/audit/index.js';
import { auditEntry, tempDirs } from './audit-fixtures.js';

const temp = tempDirs();
afterEach(temp.removeAll);

async function fileLines(path: string): Promise<string[]> {
  const text = await readFile(path, 'utf8');
  return text.split('\n').slice(0, -1);
}

describe('AuditLog', () => {
  it('creates the directory and a private file, starting the chain at 64 zeros', async () => {
    const path = join(await temp.make(), 'nested', 'dir', 'audit.jsonl');
    const log = await AuditLog.open({ path, now: () => new Date('2025-03-04T05:06:07.000Z') });
    const record = await log.append(auditEntry());
    const lines = await fileLines(path);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual(record);
    expect(record).toMatchObject({
      seq: 1,
      prev: GENESIS_HASH,
      time: '2025-03-04T05:06:07.000Z',
      target: 'ping',
    });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    await log.close();
  });

  it('chains each line to the exact bytes of the one before', async () => {
    const path = join(await temp.make(), 'audit.jsonl');
    const log = await AuditLog.open({ path });
    await log.append(auditEntry({ target: 'a' }));
    await log.append(auditEntry({ target: 'b', event: 'outcome', outcome: 'ok', durationMs: 12 }));
    await log.close();
    const [first, second] = await fileLines(path);
    expect(JSON.parse(second!)).toMatchObject({
      seq: 2,
      prev: hashLine(first!),
      outcome: 'ok',
      durationMs: 12,
    });
  });

  it('continues the chain from the last line when reopened', async () => {
    const path = join(await temp.make(), 'audit.jsonl');
    const first = await AuditLog.open({ path });
    await first.append(auditEntry());
    await first.append(auditEntry());
    await first.close();
    const second = await AuditLog.open({ path });
    const record = await second.append(auditEntry());
    await second.close();
    const lines = await fileLines(path);
    expect(record.seq).toBe(3);
    expect(record.prev).toBe(hashLine(lines[1]!));
    expect(await verifyAuditLog(path)).toMatchObject({ ok: true, lines: 3 });
  });

  it('redacts args, reasons and errors before writing, and ignores chain fields in the entry', async () => {
    const path = join(await temp.make(), 'audit.jsonl');
    const log = await AuditLog.open({ path, redactKeys: ['customer'] });
    const entry = {
      ...auditEntry({
        args: { _: ['deploy'], token: 'abc', customer: 'acme', url: 'https://u:pw@example.com' },
        reason: 'sent xoxb-1234-5678-abcdefghij',
        error: 'password=hunter2 rejected',
      }),
      seq: 99,
      prev: 'f'.repeat(64),
    };
    await log.append(entry);
    await log.close();
    const text = await readFile(path, 'utf8');
    for (const secret of ['abc', 'acme', ':pw@', 'xoxb-', 'hunter2']) expect(text).not.toContain(secret);
    expect(JSON.parse(text)).toMatchObject({
      seq: 1,
      prev: GENESIS_HASH,
      args: { _: ['deploy'], token: REDACTED, customer: REDACTED, url: `https://u:${REDACTED}@example.com` },
    });
  });

  it('writes 500 parallel appends as 500 chained lines with far fewer fsyncs', async () => {
    const path = join(await temp.make(), 'audit.jsonl');
    const log = await AuditLog.open({ path });
    const records = await Promise.all(
      Array.from({ length: 500 }, (_, i) => log.append(auditEntry({ id: `req-${i}` }))),
    );
    await log.close();
    expect(records.map((record) => record.seq)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    expect(await fileLines(path)).toHaveLength(500);
    expect(await verifyAuditLog(path)).toMatchObject({ ok: true, lines: 500 });
    const stats = log.stats();
    expect(stats.lines).toBe(500);
    expect(stats.fsyncs).toBeGreaterThan(0);
    expect(stats.fsyncs).toBeLessThan(50);
  });

  it('batches lines that arrive while a write is in flight', async () => {
    const path = join(await temp.make(), 'audit.jsonl');
    const log = await AuditLog.open({ path });
    const client = async (name: string) => {
      for (let i = 0; i < 10; i++) await log.append(auditEntry({ id: `${name}-${i}` }));
    };
    await Promise.all(Array.from({ length: 50 }, (_, i) => client(`c${i}`)));
    await log.close();
    expect(await verifyAuditLog(path)).toMatchObject({ ok: true, lines: 500 });
    expect(log.stats().fsyncs).toBeLessThanOrEqual(50);
  });

  it('skips fsync when told to', async () => {
    const path = join(await temp.make(), 'audit.jsonl');
    const log = await AuditLog.open({ path, fsync: false });
    await log.append(auditEntry());
    await log.close();
    expect(log.stats()).toMatchObject({ lines: 1, writes: 1, fsyncs: 0 });
  });

  it('rotates by size, keeps every file under the limit and the chain across files', async () => {
    const dir = await temp.make();
    const path = join(dir, 'audit.jsonl');
    const maxBytes = 1500;
    const log = await AuditLog.open({ path, maxBytes });
    for (let i = 0; i < 20; i++) await log.append(auditEntry({ id: `r${i}` }));
    await Promise.all(Array.from({ length: 10 }, (_, i) => log.append(auditEntry({ id: `p${i}` }))));
    await log.close();

    const names = (await readdir(dir)).sort();
    expect(names.length).toBeGreaterThan(3);
    expect(log.stats().rotations).toBe(names.length - 1);
    for (const name of names) expect((await stat(join(dir, name))).size).toBeLessThanOrEqual(maxBytes);
    const result = await verifyAuditLog(path);
    expect(result).toMatchObject({ ok: true, lines: 30 });
    expect(result.files.at(-1)).toBe(path);
    expect(result.files[0]).toBe(join(dir, 'audit.1.jsonl'));

    const lastOfFirst = (await fileLines(join(dir, 'audit.1.jsonl'))).at(-1)!;
    const firstOfSecond = JSON.parse((await fileLines(result.files[1]!))[0]!) as AuditRecord;
    expect(firstOfSecond.prev).toBe(hashLine(lastOfFirst));
    expect(firstOfSecond.seq).toBe((JSON.parse(lastOfFirst) as AuditRecord).seq + 1);
  });

  it('keeps numbering rotated files after a restart without overwriting one', async () => {
    const dir = await temp.make();
    const path = join(dir, 'audit.jsonl');
    for (let run = 0; run < 2; run++) {
      const log = await AuditLog.open({ path, maxBytes: 800 });
      for (let i = 0; i < 8; i++) await log.append(auditEntry());
      await log.close();
    }
    expect(await verifyAuditLog(path)).toMatchObject({ ok: true, lines: 16 });
  });

  it('continues from the newest rotated file when the current one is missing', async () => {
    const dir = await temp.make();
    const path = join(dir, 'audit.jsonl');
    const log = await AuditLog.open({ path });
    await log.append(auditEntry());
    await log.append(auditEntry());
    await log.close();
    await rename(path, join(dir, 'audit.1.jsonl'));
    const reopened = await AuditLog.open({ path });
    expect((await reopened.append(auditEntry())).seq).toBe(3);
    await reopened.close();
    expect(await verifyAuditLog(path)).toMatchObject({
      ok: true,
      lines: 3,
      files: [join(dir, 'audit.1.jsonl'), path],
    });
  });

  it('keeps a line whose write was interrupted in a .partial file, audits that and continues the chain', async () => {
    const path = join(await temp.make(), 'audit.jsonl');
    const log = await AuditLog.open({ path });
    await log.append(auditEntry());
    await log.append(auditEntry());
    await log.close();
    await appendFile(path, '{"seq":3,"time":"2025-');
    const warnings: string[] = [];
    const reopened = await AuditLog.open({ path, onWarning: (message) => warnings.push(message) });
    expect(warnings).toEqual([expect.stringContaining('interrupted last line (22 bytes) was moved to')]);
    expect(await readFile(`${path}.partial`, 'utf8')).toBe('{"seq":3,"time":"2025-\n');
    expect((await reopened.append(auditEntry())).seq).toBe(4);
    await reopened.close();
    const lines = (await fileLines(path)).map((line) => JSON.parse(line));
    expect(lines[2]).toMatchObject({
      seq: 3,
      event: 'integrity',
      target: 'audit.partial-line',
      reason: expect.stringContaining('.partial'),
    });
    expect(await verifyAuditLog(path)).toMatchObject({ ok: true, lines: 4 });
  });

  it('refuses to continue a log whose last line is not a record', async () => {
    const path = join(await temp.make(), 'audit.jsonl');
    await writeFile(path, 'garbage\n');
    await expect(AuditLog.open({ path })).rejects.toThrow(AuditLogCorruptError);
    await expect(AuditLog.open({ path })).rejects.toThrow(/last line is not an audit record/);
  });

  it('fails open when the file cannot be created', async () => {
    const dir = await temp.make();
    await writeFile(join(dir, 'plain-file'), '');
    await expect(AuditLog.open({ path: join(dir, 'plain-file', 'audit.jsonl') })).rejects.toThrow(
      /EEXIST|ENOTDIR/,
    );
  });

  it('rejects appends when the file cannot be written, every time', async () => {
    const log = await AuditLog.open({ path: '/dev/full', lock: false });
    await expect(log.append(auditEntry())).rejects.toThrow(/audit log \/dev\/full: write failed: .*ENOSPC/);
    await expect(log.append(auditEntry())).rejects.toThrow(/ENOSPC/);
    expect(log.stats().lines).toBe(0);
    await log.close();
  });

  it('rejects appends after close', async () => {
    const log = await AuditLog.open({ path: join(await temp.make(), 'audit.jsonl') });
    await log.close();
    await expect(log.append(auditEntry())).rejects.toThrow('audit log is closed');
  });

  it('hands every line to the sinks after the file, and survives failing sinks', async () => {
    const path = join(await temp.make(), 'audit.jsonl');
    const memory = new MemoryAuditSink();
    const rejecting: AuditSink = {
      write: async () => {
        throw new Error('pipeline down');
      },
      close: async () => {},
    };
    const throwing = {
      write: () => {
        throw new Error('sync failure');
      },
      close: async () => {},
    } as unknown as AuditSink;
    const warnings: unknown[] = [];
    const log = await AuditLog.open({
      path,
      sinks: [rejecting, throwing, memory],
      onWarning: (_message, error) => warnings.push(error),
    });
    const first = await log.append(auditEntry({ target: 'one' }));
    expect(memory.records).toEqual([first]);
    await log.append(auditEntry({ target: 'two' }));
    await log.close();

    expect(memory.lines).toEqual(await fileLines(path));
    expect(memory.records.map((record) => record.target)).toEqual(['one', 'two']);
    expect(memory.closed).toBe(true);
    expect(log.stats().sinkErrors).toBe(4);
    expect(warnings).toHaveLength(4);
  });
});
