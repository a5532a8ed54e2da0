import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog, type AuditRecord, formatAuditRecord, readAuditTail } from '../src/audit/index.js';
import { auditEntry, tempDirs } from './audit-fixtures.js';

const temp = tempDirs();
afterEach(temp.removeAll);

async function logOf(entries: Parameters<AuditLog['append']>[0][], maxBytes?: number): Promise<string> {
  const path = join(await temp.make(), 'audit.jsonl');
  const log = await AuditLog.open({ path, maxBytes, fsync: false });
  for (const entry of entries) await log.append(entry);
  await log.close();
  return path;
}

const bob = {
  principal: 'mattermost:8fj2',
  name: 'Bob Builder',
  email: 'bob@example.com',
  platform: 'mattermost',
};

describe('readAuditTail', () => {
  it('returns the last n records, newest last', async () => {
    const path = await logOf(Array.from({ length: 30 }, (_, i) => auditEntry({ id: `r${i}` })));
    expect((await readAuditTail(path, { n: 3 })).map((record) => record.id)).toEqual(['r27', 'r28', 'r29']);
    expect(await readAuditTail(path)).toHaveLength(20);
    expect(await readAuditTail(path, { n: 0 })).toEqual([]);
  });

  it('reads back into rotated files when the current one has too few', async () => {
    const path = await logOf(
      Array.from({ length: 15 }, (_, i) => auditEntry({ id: `r${i}` })),
      900,
    );
    const ids = (await readAuditTail(path, { n: 12 })).map((record) => record.id);
    expect(ids).toEqual(Array.from({ length: 12 }, (_, i) => `r${i + 3}`));
    expect(await readAuditTail(path, { n: 100 })).toHaveLength(15);
  });

  it('filters by principal key, email, approver or a part of the name', async () => {
    const path = await logOf([
      auditEntry({ id: 'a1' }),
      auditEntry({ id: 'b1', ...bob }),
      auditEntry({ id: 'a2', decision: 'approved', approver: 'mattermost:8fj2' }),
      auditEntry({ id: 'a3' }),
    ]);
    const ids = async (user: string) => (await readAuditTail(path, { user })).map((record) => record.id);
    expect(await ids('slack:U1')).toEqual(['a1', 'a2', 'a3']);
    expect(await ids('mattermost:8fj2')).toEqual(['b1', 'a2']);
    expect(await ids('builder')).toEqual(['b1']);
    expect(await ids('email:BOB@example.com')).toEqual(['b1']);
    expect(await ids('nobody')).toEqual([]);
  });

  it('skips lines that do not parse and returns nothing for a missing log', async () => {
    const path = await logOf([auditEntry({ id: 'ok1' })]);
    await appendFile(path, 'not json\n');
    expect((await readAuditTail(path)).map((record) => record.id)).toEqual(['ok1']);
    expect(await readAuditTail(join(await temp.make(), 'none.jsonl'))).toEqual([]);
  });
});

describe('formatAuditRecord', () => {
  const base: AuditRecord = {
    ...auditEntry({
      id: 'abc123',
      target: 'aws s3 block',
      args: { _: ['my-bucket'], force: true, note: 'two words' },
    }),
    time: '2025-03-04T05:06:07.890Z',
    seq: 1,
    prev: '0'.repeat(64),
  };

  it('shows time, who, decision, target and args on one line', () => {
    expect(formatAuditRecord(base)).toBe(
      '2025-03-04 05:06:07Z alice (slack:U1) allowed aws s3 block my-bucket force=true note="two words" in #ops [abc123]',
    );
  });

  it('adds approver, requester, duration, reason and error', () => {
    const outcome: AuditRecord = {
      ...base,
      event: 'outcome',
      decision: undefined,
      outcome: 'error',
      durationMs: 120,
      error: 'boom',
      approver: 'slack:U2',
      requester: 'slack:U3',
    };
    expect(formatAuditRecord(outcome)).toBe(
      '2025-03-04 05:06:07Z alice (slack:U1) error aws s3 block my-bucket force=true note="two words" in #ops by slack:U2 for slack:U3 (120 ms) — error: boom [abc123]',
    );
    expect(formatAuditRecord({ ...base, decision: 'denied', reason: 'needs role admin in #ops' })).toContain(
      'denied aws s3 block',
    );
  });

  it('keeps multi-line text on one line', () => {
    const line = formatAuditRecord({ ...base, args: { _: ['a\nb'] }, reason: 'first\nsecond' });
    expect(line).not.toMatch(/\n/);
    expect(line).toContain('"a\\nb"');
    expect(line).toContain('— first second');
  });
});
