import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog, formatVerifyError, verifyAuditLog } from '../src/audit/index.js';
import { auditEntry, tempDirs } from './audit-fixtures.js';

const temp = tempDirs();
afterEach(temp.removeAll);

async function writeLog(count: number, maxBytes?: number): Promise<{ dir: string; path: string }> {
  const dir = await temp.make();
  const path = join(dir, 'audit.jsonl');
  const log = await AuditLog.open({ path, maxBytes, fsync: false });
  for (let i = 1; i <= count; i++)
    await log.append(auditEntry({ id: `req-${i}`, args: { _: ['uat'], n: i } }));
  await log.close();
  return { dir, path };
}

async function editLines(path: string, edit: (lines: string[]) => string[]): Promise<void> {
  const lines = (await readFile(path, 'utf8')).split('\n').slice(0, -1);
  await writeFile(path, `${edit(lines).join('\n')}\n`);
}

describe('verifyAuditLog', () => {
  it('passes a good log', async () => {
    const { path } = await writeLog(6);
    expect(await verifyAuditLog(path)).toEqual({ ok: true, files: [path], lines: 6 });
  });

  it('passes a good log across rotated files', async () => {
    const { dir, path } = await writeLog(12, 900);
    const result = await verifyAuditLog(path);
    expect(result.ok).toBe(true);
    expect(result.lines).toBe(12);
    expect(result.files.length).toBeGreaterThan(2);
    expect(result.files.slice(0, 2)).toEqual([join(dir, 'audit.1.jsonl'), join(dir, 'audit.2.jsonl')]);
  });

  it('names an edited line', async () => {
    const { path } = await writeLog(6);
    await editLines(path, (lines) =>
      lines.map((line, i) => (i === 2 ? line.replace('"uat"', '"prod"') : line)),
    );
    const result = await verifyAuditLog(path);
    expect(result).toMatchObject({ ok: false, lines: 3, error: { file: path, line: 3 } });
    expect(result.error?.reason).toMatch(/^hash chain broken \(line edited, deleted or reordered\)/);
  });

  it('names a line whose seq was edited', async () => {
    const { path } = await writeLog(6);
    await editLines(path, (lines) =>
      lines.map((line, i) => (i === 3 ? line.replace('"seq":4', '"seq":40') : line)),
    );
    expect((await verifyAuditLog(path)).error).toEqual({
      file: path,
      line: 4,
      reason: expect.stringMatching(/^seq jumps from 3 to 40/),
    });
  });

  it('names the place of a deleted line', async () => {
    const { path } = await writeLog(6);
    await editLines(path, (lines) => lines.filter((_, i) => i !== 2));
    expect((await verifyAuditLog(path)).error).toEqual({
      file: path,
      line: 3,
      reason: 'seq jumps from 2 to 4 (line deleted or reordered)',
    });
  });

  it('names the first of two reordered lines', async () => {
    const { path } = await writeLog(6);
    await editLines(path, (lines) => [lines[0]!, lines[1]!, lines[3]!, lines[2]!, lines[4]!, lines[5]!]);
    expect((await verifyAuditLog(path)).error).toMatchObject({
      file: path,
      line: 3,
      reason: expect.stringMatching(/seq jumps from 2 to 4/),
    });
  });

  it('names a duplicated line', async () => {
    const { path } = await writeLog(4);
    await editLines(path, (lines) => [...lines.slice(0, 3), lines[2]!, lines[3]!]);
    expect((await verifyAuditLog(path)).error).toMatchObject({
      line: 4,
      reason: expect.stringMatching(/seq goes back from 3 to 3/),
    });
  });

  it('names an edited line inside a rotated file', async () => {
    const { dir, path } = await writeLog(12, 900);
    const rotated = join(dir, 'audit.1.jsonl');
    await editLines(rotated, (lines) =>
      lines.map((line, i) => (i === 1 ? line.replace('alice', 'mallory') : line)),
    );
    expect((await verifyAuditLog(path)).error).toMatchObject({
      file: rotated,
      line: 2,
      reason: expect.stringMatching(/hash chain broken/),
    });
  });

  it('notices the last line of a rotated file was edited, at the file boundary', async () => {
    const { dir, path } = await writeLog(12, 900);
    const rotated = join(dir, 'audit.1.jsonl');
    let edited = 0;
    await editLines(rotated, (lines) => {
      edited = lines.length;
      return lines.map((line, i) => (i === lines.length - 1 ? line.replace('"uat"', '"prod"') : line));
    });
    expect((await verifyAuditLog(path)).error).toMatchObject({ file: rotated, line: edited });
  });

  it('notices a deleted rotated file in the middle', async () => {
    const { dir, path } = await writeLog(12, 900);
    await rm(join(dir, 'audit.2.jsonl'));
    expect((await verifyAuditLog(path)).error).toMatchObject({
      file: join(dir, 'audit.3.jsonl'),
      line: 1,
      reason: expect.stringMatching(/^seq jumps from/),
    });
  });

  it('notices missing oldest files unless told they were pruned on purpose', async () => {
    const { dir, path } = await writeLog(12, 900);
    await rm(join(dir, 'audit.1.jsonl'));
    const strict = await verifyAuditLog(path);
    expect(strict.error).toMatchObject({
      file: join(dir, 'audit.2.jsonl'),
      line: 1,
      reason: expect.stringMatching(/^the log starts at seq \d+, not 1/),
    });
    const pruned = await verifyAuditLog(path, { allowMissingStart: true });
    expect(pruned.ok).toBe(true);
    expect(pruned.lines).toBeLessThan(12);
  });

  it('reports a line that is not JSON or not a record', async () => {
    const { path } = await writeLog(3);
    await editLines(path, (lines) => [lines[0]!, '{"seq":2,', lines[2]!]);
    expect((await verifyAuditLog(path)).error).toMatchObject({
      line: 2,
      reason: 'not valid JSON (line edited or cut)',
    });
    await editLines(path, (lines) => [lines[0]!, '{"hello":1}', lines[2]!]);
    expect((await verifyAuditLog(path)).error).toMatchObject({
      line: 2,
      reason: expect.stringMatching(/not an audit record/),
    });
  });

  it('reports an incomplete last line', async () => {
    const { path } = await writeLog(3);
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.slice(0, -10));
    expect((await verifyAuditLog(path)).error).toMatchObject({
      line: 3,
      reason: expect.stringMatching(/^incomplete last line/),
    });
  });

  it('reports a missing log and accepts an empty one', async () => {
    const dir = await temp.make();
    const missing = join(dir, 'audit.jsonl');
    expect(await verifyAuditLog(missing)).toEqual({
      ok: false,
      files: [],
      lines: 0,
      error: { file: missing, line: 0, reason: 'no audit log found' },
    });
    await writeFile(missing, '');
    expect(await verifyAuditLog(missing)).toEqual({ ok: true, files: [missing], lines: 0 });
  });

  it('formats an error for people', () => {
    expect(formatVerifyError({ file: 'audit.jsonl', line: 7, reason: 'seq jumps from 5 to 7' })).toBe(
      'audit.jsonl line 7: seq jumps from 5 to 7',
    );
    expect(formatVerifyError({ file: 'audit.jsonl', line: 0, reason: 'no audit log found' })).toBe(
      'audit.jsonl: no audit log found',
    );
  });
});
