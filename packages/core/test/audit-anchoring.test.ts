import { generateKeyPairSync } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type AuditCheckpoint,
  AuditLog,
  AuditLogLockedError,
  checkpointHash,
  checkpointsPath,
  checkSignature,
  HttpTransport,
  lockAuditLog,
  NO_ANCHORS_NOTE,
  readMergedTail,
  type ShippingOptions,
  StdoutTransport,
  signCheckpoint,
  verifyChains,
} from '../src/audit/index.js';
import { ConfigError } from '../src/config/config-error.js';
import { loadConfig } from '../src/config/load-config.js';
import { AuditReceiver, createTestBot } from '../src/testing/index.js';
import { auditEntry, tempDirs } from './audit-fixtures.js';

const temp = tempDirs();
const receivers: AuditReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((receiver) => receiver.stop()));
  await temp.removeAll();
});

function keyPair(keyId: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { signer: { keyId, key: privateKey }, publicKey };
}

/** A receiver, and a log at a fresh path that ships to it (opened again by each `open()`). */
async function logShippingOverHttp(shipping: ShippingOptions) {
  const receiver = await new AuditReceiver().start();
  receivers.push(receiver);
  const path = join(await temp.make(), 'audit.jsonl');
  const open = () =>
    AuditLog.open({
      path,
      anchoring: { transports: [new HttpTransport({ url: receiver.url })], shipping, closeTimeoutMs: 100 },
    });
  return { receiver, path, open };
}

async function readCheckpoints(path: string): Promise<AuditCheckpoint[]> {
  const text = await readFile(checkpointsPath(path), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AuditCheckpoint);
}

describe('signed checkpoints', () => {
  it('are chained, signed with the key id, and verified against a set of keys (rotation)', () => {
    const old = keyPair('k1');
    const current = keyPair('k2');
    const fields = {
      instance: 'bot-1',
      chain: 'a'.repeat(64),
      firstSeq: 1,
      lastSeq: 5,
      head: 'b'.repeat(64),
      time: '2026-01-01T00:00:00.000Z',
      final: false,
    };
    const first = signCheckpoint(fields, old.signer);
    const second = signCheckpoint(
      { ...fields, firstSeq: 6, lastSeq: 9, previous: checkpointHash(first) },
      current.signer,
    );
    const keys = new Map([
      ['k1', old.publicKey],
      ['k2', current.publicKey],
    ]);
    expect([first.keyId, second.keyId]).toEqual(['k1', 'k2']);
    expect(checkSignature(first, keys)).toBeUndefined();
    expect(checkSignature(second, keys)).toBeUndefined();
    expect(checkSignature({ ...second, lastSeq: 10 }, keys)).toMatch(/bad signature/);
    expect(checkSignature(second, new Map([['k1', old.publicKey]]))).toMatch(/key "k2".*not among/);
  });

  it('are written to the local checkpoints file at the interval and a final one at close', async () => {
    const path = join(await temp.make(), 'audit.jsonl');
    const { signer, publicKey } = keyPair('k1');
    const log = await AuditLog.open({
      path,
      instance: 'bot-1',
      anchoring: { transports: [], signer, intervalMs: 20 },
    });
    for (let i = 0; i < 3; i++) await log.append(auditEntry());
    await expect.poll(async () => (await readCheckpoints(path).catch(() => [])).length).toBeGreaterThan(0);
    await log.append(auditEntry());
    await log.close();
    const checkpoints = await readCheckpoints(path);
    // The timer decides where the first ones end; each starts where the one before stopped.
    expect(checkpoints[0]).toMatchObject({ firstSeq: 1, final: false });
    expect(checkpoints.at(-1)).toMatchObject({ lastSeq: 4, final: true });
    for (const [index, checkpoint] of checkpoints.entries()) {
      if (index === 0) continue;
      const before = checkpoints[index - 1]!;
      expect(checkpoint.firstSeq).toBe(before.lastSeq + 1);
      expect(checkpoint.previous).toBe(checkpointHash(before));
    }
    expect(checkpoints.every((cp) => cp.instance === 'bot-1')).toBe(true);
    const lines = (await readFile(path, 'utf8')).split('\n').filter(Boolean);
    expect(lines.every((line) => JSON.parse(line).instance === 'bot-1')).toBe(true);
    const [report] = await verifyChains([path], { keys: new Map([['k1', publicKey]]) });
    expect(report).toMatchObject({ findings: [], lines: 4, instance: 'bot-1' });
    expect(report!.notes).toContain(NO_ANCHORS_NOTE);
  });
});

describe('the http sink', () => {
  it('survives an outage of the receiver: nothing lost, nothing doubled (by seq)', async () => {
    const receiver = await new AuditReceiver().start();
    receivers.push(receiver);
    const path = join(await temp.make(), 'audit.jsonl');
    const errors: string[] = [];
    const log = await AuditLog.open({
      path,
      instance: 'bot-1',
      anchoring: {
        transports: [new HttpTransport({ url: receiver.url, headers: { authorization: 'Splunk t0ken' } })],
        shipping: {
          batchLines: 10,
          batchWaitMs: 5,
          retry: { minMs: 5, maxMs: 50 },
          onSendError: (sink) => errors.push(sink),
        },
      },
    });
    for (let i = 0; i < 30; i++) await log.append(auditEntry({ id: `a${i}` }));
    await receiver.waitFor(() => receiver.seqCounts().size === 30);
    await receiver.stop();
    for (let i = 0; i < 30; i++) await log.append(auditEntry({ id: `b${i}` }));
    await expect.poll(() => errors.length).toBeGreaterThan(2);
    expect(log.shippingStats()[`http:${new URL(receiver.url).host}/ingest`]).toMatchObject({ backlog: 30 });
    await receiver.start();
    await log.shipped();
    await log.close();
    const counts = receiver.seqCounts();
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
    expect(receiver.headers[0]).toMatchObject({ authorization: 'Splunk t0ken' });
  });

  it('after a restart, ships from the stored cursor: lines written while it was down arrive once', async () => {
    const { receiver, open } = await logShippingOverHttp({ batchWaitMs: 5, retry: { minMs: 5, maxMs: 20 } });
    const first = await open();
    for (let i = 0; i < 5; i++) await first.append(auditEntry());
    await first.shipped();
    receiver.failWith = 503;
    for (let i = 0; i < 5; i++) await first.append(auditEntry());
    await first.close();
    receiver.failWith = undefined;
    const second = await open();
    await second.append(auditEntry());
    await second.shipped();
    await second.close();
    const counts = receiver.seqCounts();
    expect(counts.size).toBe(11);
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
  });
});

describe('one writer per audit file', () => {
  it('a second writer of the same file is refused at once, naming the process that holds it', async () => {
    const path = join(await temp.make(), 'audit.jsonl');
    const log = await AuditLog.open({ path });
    const refused = await AuditLog.open({ path }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AuditLogLockedError);
    expect((refused as Error).message).toContain(`process ${process.pid} on `);
    await log.close();
    const reopened = await AuditLog.open({ path });
    await reopened.close();
  });

  it.each([
    ['a dead process', { pid: 2 ** 22 + 12345 }],
    ['an earlier run with this same pid (a restarted container)', { pid: process.pid }],
    ['a reused pid (a live process started at another time)', { pid: process.ppid, start: '1' }],
  ])('a lock left by %s on this host is taken over', async (_what, holder) => {
    const path = join(await temp.make(), 'audit.jsonl');
    await writeFile(
      `${path}.lock`,
      JSON.stringify({ host: hostname(), command: 'chatops start', since: 'then', ...holder }),
    );
    const release = await lockAuditLog(path);
    expect(JSON.parse(await readFile(`${path}.lock`, 'utf8')).pid).toBe(process.pid);
    await release();
  });

  it('a lock of a live process, or of another host, is not taken over', async () => {
    const path = join(await temp.make(), 'audit.jsonl');
    await writeFile(`${path}.lock`, JSON.stringify({ pid: process.ppid, host: hostname(), since: 'then' }));
    await expect(lockAuditLog(path)).rejects.toThrow(`process ${process.ppid} on ${hostname()}`);
    await writeFile(`${path}.lock`, JSON.stringify({ pid: 1, host: 'other-host', since: 'then' }));
    await expect(lockAuditLog(path)).rejects.toThrow('process 1 on other-host');
  });
});

describe('several chains', () => {
  it('verify checks each file of a directory; tail merges them by time', async () => {
    const dir = await temp.make();
    let clock = Date.parse('2026-01-01T00:00:00.000Z');
    const now = () => (clock += 1000);
    const a = await AuditLog.open({ path: join(dir, 'audit-a.jsonl'), instance: 'a', now });
    const b = await AuditLog.open({ path: join(dir, 'audit-b.jsonl'), instance: 'b', now });
    await a.append(auditEntry({ id: 'a1' }));
    await b.append(auditEntry({ id: 'b1' }));
    await a.append(auditEntry({ id: 'a2' }));
    await b.append(auditEntry({ id: 'b2' }));
    await Promise.all([a.close(), b.close()]);
    const merged = await readMergedTail([dir], { n: 3 });
    expect(merged.map((record) => record.id)).toEqual(['b1', 'a2', 'b2']);
    const reports = await verifyChains([dir]);
    expect(reports.map((report) => [report.instance, report.lines, report.findings])).toEqual([
      ['a', 2, []],
      ['b', 2, []],
    ]);
    const text = await readFile(join(dir, 'audit-b.jsonl'), 'utf8');
    await writeFile(join(dir, 'audit-b.jsonl'), text.replace('"b1"', '"bX"'));
    const broken = await verifyChains([dir]);
    expect(broken[0]!.findings).toEqual([]);
    expect(broken[1]!.findings).toEqual([expect.stringMatching(/audit-b\.jsonl line 1: hash chain broken/)]);
  });
});

describe('a sink that falls behind', () => {
  it('raises an alert to the notification route and a metric once its backlog passes the limit; nothing is dropped', async () => {
    const receiver = await new AuditReceiver().start();
    receivers.push(receiver);
    receiver.failWith = 503;
    const dir = await temp.make();
    const bot = await createTestBot({
      config: {
        instance: 'bot-7',
        notifications: { security: { shell: '#security' } },
        audit: {
          enabled: true,
          path: join(dir, 'audit.jsonl'),
          alertRoute: 'security',
          sinks: [{ type: 'http', url: receiver.url }],
          shipping: { backlogLimit: 3, batchWait: 5, maxRetryDelay: 20 },
        },
      },
    });
    try {
      for (let i = 0; i < 3; i++) await bot.say('alice', 'whoami');
      await expect
        .poll(() => bot.messages.filter((message) => message.conversation.id === 'security').length)
        .toBe(1);
      const alert = bot.messages.find((message) => message.conversation.id === 'security')!;
      expect(alert.text).toMatch(
        /audit sink http:127\.0\.0\.1:\d+\/ingest is full: \d+ lines are not shipped yet/,
      );
      const metrics = await bot.robot.metrics.render();
      expect(metrics).toMatch(/chatops_audit_sink_full\{sink="http:127\.0\.0\.1:\d+\/ingest"\} 1/);
      await expect
        .poll(async () => bot.robot.metrics.render())
        .toMatch(/chatops_audit_sink_errors_total\{sink="http:127\.0\.0\.1:\d+\/ingest"\} [1-9]/);
      receiver.failWith = undefined;
      await receiver.waitFor(() => receiver.seqCounts().size === 6);
      expect(receiver.lines.every((line) => line.instance === 'bot-7')).toBe(true);
      await expect.poll(async () => bot.robot.metrics.render()).toMatch(/chatops_audit_sink_full\{[^}]*\} 0/);
    } finally {
      await bot.close();
    }
  });
});

describe('the stdout sink', () => {
  it('writes every line and each checkpoint as JSON lines', async () => {
    const path = join(await temp.make(), 'audit.jsonl');
    const { signer } = keyPair('k1');
    let written = '';
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => {
      written += chunk.toString();
    });
    const log = await AuditLog.open({
      path,
      instance: 'c1',
      anchoring: { transports: [new StdoutTransport(stream)], signer, shipping: { batchWaitMs: 5 } },
    });
    await log.append(auditEntry({ id: 'x1' }));
    await log.append(auditEntry({ id: 'x2' }));
    await log.close();
    const records = written
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.map((record) => record.id ?? record.type)).toEqual(['x1', 'x2', 'checkpoint']);
    expect(records[2]).toMatchObject({ instance: 'c1', firstSeq: 1, lastSeq: 2, final: true, keyId: 'k1' });
  });
});

describe('a crash between the sink acknowledging a batch and the cursor write', () => {
  it('sends the very same batch again under the same Idempotency-Key, so the receiver keeps it once', async () => {
    const { receiver, path, open } = await logShippingOverHttp({ batchLines: 3, batchWaitMs: 5 });
    const log = await open();
    for (let i = 0; i < 3; i++) await log.append(auditEntry());
    await log.shipped();
    await log.close();
    const cursorFile = (await readdir(dirname(path))).find((name) => name.includes('.sink-http'))!;
    const cursor = JSON.parse(await readFile(join(dirname(path), cursorFile), 'utf8'));
    expect(cursor).toMatchObject({ lines: 3 });
    const lastKey = String(receiver.headers.at(-1)!['idempotency-key']);
    const [first, last] = lastKey
      .slice(lastKey.lastIndexOf('/') + 1)
      .split('-')
      .map(Number) as [number, number];
    // As the file stood when the process died: the last batch in flight, the cursor not yet moved.
    await writeFile(
      join(dirname(path), cursorFile),
      JSON.stringify({ ...cursor, lines: first - 1, inflight: { first, last } }),
    );
    const again = await open();
    await again.append(auditEntry());
    await again.shipped();
    await again.close();
    expect(receiver.replayedBatches).toBe(1);
    expect([...receiver.seqCounts()]).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
      [4, 1],
    ]);
    const keys = receiver.headers.map((headers) => headers['idempotency-key']);
    expect(keys.filter((key) => key === lastKey)).toHaveLength(2);
  });
});

describe('checkpoint keys in the config', () => {
  it('a key that is not an Ed25519 PEM is a config error naming the key, never quoting it', async () => {
    const dir = await temp.make();
    const path = join(dir, 'chatops.config.yaml');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's ${VAR} interpolation
    await writeFile(path, 'audit:\n  checkpoints: { privateKey: "${AUDIT_SIGNING_KEY}" }\n');
    const error = await loadConfig({
      configPath: path,
      env: { AUDIT_SIGNING_KEY: 'hunter2-not-a-key' },
    }).catch((failure: unknown) => failure as Error);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(
      'audit.checkpoints.privateKey: a PEM (PKCS#8) Ed25519 private key',
    );
    expect((error as Error).message).not.toContain('hunter2');
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const loaded = await loadConfig({
      configPath: path,
      env: { AUDIT_SIGNING_KEY: pem.replace(/\n/g, '\\n') },
    });
    expect(loaded.config.audit.checkpoints.keyId).toBe('k1');
  });
});
