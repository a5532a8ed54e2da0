import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  type AuditCheckpoint,
  type AuditEntry,
  AuditLog,
  type ChainReport,
  HttpTransport,
  hashLine,
  readS3Anchors,
  S3Transport,
  type S3TransportOptions,
  signCheckpoint,
  verifyChains,
} from '@chatops/core/internal';
import { AuditReceiver } from '@chatops/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AwsEmulator, startAwsEmulator } from '../src/emulator/index.js';
import { sdkClients } from './support/sdk-clients.js';

const BUCKET = 'audit-anchors';
const LINES = 20;
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const signer = { keyId: 'k1', key: privateKey };
const keys = new Map([['k1', publicKey]]);

let emulator: AwsEmulator;
let receiver: AuditReceiver;
let s3: S3Client;
let counter = 0;
const dirs: string[] = [];

beforeAll(async () => {
  emulator = await startAwsEmulator();
  s3 = sdkClients(emulator).s3;
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET, ObjectLockEnabledForBucket: true }));
  receiver = await new AuditReceiver().start();
});

afterAll(async () => {
  s3.destroy();
  await receiver.stop();
  await emulator.close();
});

afterEach(async () => {
  emulator.clearFaults();
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

function entry(i: number): AuditEntry {
  return {
    id: `r${i}`,
    event: 'decision',
    principal: 'slack:U1',
    name: 'alice',
    platform: 'slack',
    conversation: { id: 'C1', name: '#ops' },
    kind: 'command',
    target: 'aws s3 block',
    permission: 'aws.s3.block',
    effect: 'write',
    args: { bucket: `b${i}` },
    decision: 'allowed',
  };
}

/** A fresh directory and S3 prefix for one scenario. */
async function scenario() {
  counter += 1;
  const dir = await mkdtemp(join(tmpdir(), 'chatops-anchors-'));
  dirs.push(dir);
  const s3Options: S3TransportOptions = {
    bucket: BUCKET,
    prefix: `t${counter}/`,
    region: 'us-east-1',
    endpoint: emulator.endpoint,
    credentials: emulator.credentials,
    objectLock: { mode: 'COMPLIANCE', days: 1 },
    maxAttempts: 1,
  };
  const path = join(dir, 'audit.jsonl');
  const alerts: string[] = [];
  const errors: unknown[] = [];
  const open = () =>
    AuditLog.open({
      path,
      instance: `bot-${counter}`,
      onAlert: (message) => alerts.push(message),
      anchoring: {
        transports: [new S3Transport(s3Options), new HttpTransport({ url: receiver.url })],
        signer,
        intervalMs: 60_000,
        closeTimeoutMs: 300,
        shipping: {
          batchLines: 7,
          batchWaitMs: 5,
          retry: { minMs: 5, maxMs: 40 },
          onSendError: (_sink, error) => errors.push(error),
        },
      },
    });
  /** Writes `count` lines through a real log with anchors, then closes it (final checkpoint). */
  const write = async (count = LINES) => {
    const log = await open();
    for (let i = 1; i <= count; i++) await log.append(entry(i));
    await log.shipped();
    await log.close();
  };
  const verify = async (options: { anchors?: boolean; instances?: string[] } = {}) =>
    verifyChains([dir], {
      ...(options.anchors === false ? {} : { anchors: [await readS3Anchors(s3Options)] }),
      keys,
      ...(options.instances ? { instances: options.instances } : {}),
    });
  const lines = async () => (await readFile(path, 'utf8')).split('\n').filter(Boolean);
  const setLines = (all: string[]) => writeFile(path, `${all.join('\n')}\n`);
  return { dir, path, s3Options, alerts, errors, open, write, verify, lines, setLines };
}

function findings(reports: ChainReport[]): string[] {
  return reports.flatMap((report) => report.findings);
}

/** Rewrites lines from index `from` on so every `prev` matches again (what an attacker with the file does). */
function recompute(all: string[], from: number): string[] {
  const out = all.slice(0, from);
  for (let i = from; i < all.length; i++) {
    const record = JSON.parse(all[i]!) as Record<string, unknown>;
    record.prev = hashLine(out[i - 1]!);
    const { seq, prev, ...rest } = record;
    out.push(JSON.stringify({ seq, ...rest, prev }));
  }
  return out;
}

describe('the audit log against its anchors (S3 with Object Lock + an HTTP sink)', () => {
  it('an untouched log verifies, and both sinks hold every line once', async () => {
    const s = await scenario();
    await s.write();
    const reports = await s.verify();
    expect(findings(reports)).toEqual([]);
    expect(reports[0]).toMatchObject({ lines: LINES, instance: `bot-${counter}` });
    const mine = receiver.lines.filter((line) => line.instance === `bot-${counter}`);
    expect(mine.map((line) => line.seq)).toEqual(Array.from({ length: LINES }, (_, i) => i + 1));
  });

  it('edit a line in the middle: named by the chain and by the shipped copy', async () => {
    const s = await scenario();
    await s.write();
    const all = await s.lines();
    all[9] = all[9]!.replace('"principal":"slack:U1"', '"principal":"slack:U9"');
    await s.setLines(all);
    expect(findings(await s.verify())).toEqual([
      expect.stringMatching(/audit\.jsonl line 10: hash chain broken/),
      expect.stringMatching(/audit\.jsonl line 10 \(seq 10\): differ from the copies shipped to s3:/),
    ]);
  });

  it('delete or swap lines in the middle: the seq jump names the place', async () => {
    const s = await scenario();
    await s.write();
    const all = await s.lines();
    await s.setLines([...all.slice(0, 4), ...all.slice(5)]);
    expect(findings(await s.verify())[0]).toMatch(/audit\.jsonl line 5: seq jumps from 4 to 6/);
    await s.setLines([...all.slice(0, 4), all[5]!, all[4]!, ...all.slice(6)]);
    expect(findings(await s.verify())[0]).toMatch(/audit\.jsonl line 5: seq jumps from 4 to 6/);
  });

  it('delete the last 3 lines: reported as missing at the end', async () => {
    const s = await scenario();
    await s.write();
    await s.setLines((await s.lines()).slice(0, LINES - 3));
    expect(findings(await s.verify())).toEqual([
      expect.stringMatching(/audit\.jsonl: seq 18-20 missing at the end \(s3:.* holds them/),
    ]);
    const [withoutAnchors] = await s.verify({ anchors: false });
    expect(withoutAnchors!.findings).toEqual([]);
    expect(withoutAnchors!.notes).toContain(
      'no anchors: tail truncation and recomputed chains are not detectable without anchors (configure audit.sinks with s3, or pass --anchors)',
    );
  });

  it('edit only the last line, then restart: the robot does not chain onto it, starts a new chain and alerts', async () => {
    const s = await scenario();
    await s.write();
    const all = await s.lines();
    all[LINES - 1] = all[LINES - 1]!.replace('"principal":"slack:U1"', '"principal":"slack:U666"');
    await s.setLines(all);
    const log = await s.open();
    await log.append(entry(99));
    await log.shipped();
    await log.close();
    expect(s.alerts).toEqual([
      expect.stringMatching(
        /the chain disagrees with its anchor in s3:.*: the line with seq 20 differs from the one anchored at .*moved to .*audit\.tampered-.*\.jsonl and a new chain starts/,
      ),
    ]);
    const fresh = (await s.lines()).map((line) => JSON.parse(line));
    expect(fresh.map((line) => [line.seq, line.event, line.target])).toEqual([
      [1, 'integrity', 'audit.chain-moved-aside'],
      [2, 'decision', 'aws s3 block'],
    ]);
    const reports = await s.verify();
    const aside = reports.find((report) => report.path.includes('tampered'))!;
    expect(aside.findings).toEqual([
      expect.stringMatching(/audit\.tampered-.*\.jsonl line 20 \(seq 20\): differ from the copies shipped/),
    ]);
    expect(reports.find((report) => report.path === s.path)!.findings).toEqual([]);
  });

  it('append a forged line with the correct prev: not in any anchor, after the final checkpoint', async () => {
    const s = await scenario();
    await s.write();
    const all = await s.lines();
    const last = JSON.parse(all.at(-1)!) as Record<string, unknown>;
    const forged = JSON.stringify({ ...last, seq: LINES + 1, id: 'forged', prev: hashLine(all.at(-1)!) });
    await s.setLines([...all, forged.replace(/^\{"seq":21,(.*)$/, '{"seq":21,$1')]);
    expect(findings(await s.verify())).toEqual([
      expect.stringMatching(
        /audit\.jsonl line 21 \(seq 21\): not in any checkpoint or shipped batch .*appended after the final checkpoint of .*, while the robot was stopped: forged/,
      ),
    ]);
    // Restarting on it is refused too: the lines came after a final checkpoint.
    const log = await s.open();
    await log.close();
    expect(s.alerts).toEqual([expect.stringMatching(/seq 21-21 were appended after the final checkpoint/)]);
  });

  it('a restart after a final checkpoint, with the resume checkpoint not yet anchored, is not taken for tampering', async () => {
    const s = await scenario();
    await s.write(5);
    emulator.deny('s3:PutObject');
    const resumed = await s.open();
    await resumed.append(entry(6));
    await resumed.close();
    emulator.clearFaults();
    const again = await s.open();
    await again.append(entry(7));
    await again.shipped();
    await again.close();
    expect(s.alerts).toEqual([]);
    expect((await s.lines()).map((line) => JSON.parse(line).seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(findings(await s.verify())).toEqual([]);
  });

  it('edit line 2 and recompute every later hash: the local chain holds, the anchors name lines 2-20', async () => {
    const s = await scenario();
    await s.write();
    const all = await s.lines();
    all[1] = all[1]!.replace('"principal":"slack:U1"', '"principal":"slack:U2"');
    await s.setLines(recompute(all, 1));
    const [withoutAnchors] = await s.verify({ anchors: false });
    expect(withoutAnchors!.findings).toEqual([]);
    expect(findings(await s.verify())).toEqual([
      expect.stringMatching(
        /audit\.jsonl lines 2-20 \(seq 2-20\): differ from the copies shipped to s3:.*recomputed from the first of them/,
      ),
    ]);
  });

  it('a cut-off last line: kept in .partial and audited at start-up; the anchors show the line missing', async () => {
    const s = await scenario();
    await s.write();
    const text = await readFile(s.path, 'utf8');
    await writeFile(s.path, text.slice(0, text.length - 30));
    const log = await s.open();
    await log.close();
    const fresh = (await s.lines()).map((line) => JSON.parse(line));
    expect(fresh.map((line) => line.target)).toEqual(['audit.partial-line', 'audit.chain-moved-aside']);
    expect(fresh[0].reason).toMatch(/interrupted last line \(\d+ bytes\) was moved to .*tampered.*\.partial/);
    const aside = (await s.verify()).find((report) => report.path.includes('tampered'))!;
    expect(aside.findings).toEqual([expect.stringMatching(/seq 20 missing at the end/)]);
    expect(aside.notes).toEqual([expect.stringMatching(/\.partial holds 1 cut-off last line/)]);
  });

  it('a deleted chain file: the anchors still hold its chain', async () => {
    const s = await scenario();
    await s.write();
    await rm(s.path);
    const reports = await s.verify({ instances: [`bot-${counter}`] });
    expect(findings(reports)).toEqual([
      expect.stringMatching(
        new RegExp(
          `chain .* of instance bot-${counter} \\(seq 1-20, last checkpoint .*\\) has no local file`,
        ),
      ),
    ]);
  });

  it('a checkpoint with a bad signature, and an overwritten or deleted anchor, are reported; the locked versions stay', async () => {
    const s = await scenario();
    await s.write();
    const listed = await s3.send(
      new ListObjectVersionsCommand({ Bucket: BUCKET, Prefix: s.s3Options.prefix }),
    );
    const checkpointKey = listed.Versions!.find((version) => version.Key!.includes('/checkpoints/'))!;
    const original = JSON.parse(
      await (
        await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: checkpointKey.Key! }))
      ).Body!.transformToString(),
    ) as AuditCheckpoint;
    const attacker = generateKeyPairSync('ed25519').privateKey;
    const { signature: _signature, keyId: _keyId, type: _type, ...fields } = original;
    const forged = signCheckpoint(
      { ...fields, time: new Date().toISOString() },
      { keyId: 'k1', key: attacker },
    );
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: checkpointKey.Key!.replace(/checkpoints\/\d+/, 'checkpoints/0000000000000'),
        Body: JSON.stringify(forged),
      }),
    );
    // The bot's credentials cannot remove a locked version; they can only stack a new one or a marker.
    await expect(
      s3.send(
        new DeleteObjectCommand({
          Bucket: BUCKET,
          Key: checkpointKey.Key!,
          VersionId: checkpointKey.VersionId!,
        }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    await s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: checkpointKey.Key!, Body: JSON.stringify(forged) }),
    );
    const batchKey = listed.Versions!.find((version) => version.Key!.includes('/lines/'))!.Key!;
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: batchKey }));
    const found = findings(await s.verify());
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/checkpoint .*checkpoints\/0000000000000-.* bad signature/),
        expect.stringMatching(
          new RegExp(`${checkpointKey.Key!.replace(/[.*]/g, '\\$&')} was overwritten \\(2 versions\\)`),
        ),
        expect.stringMatching(
          /\/lines\/.* was deleted \(a delete marker\); its locked version is still used/,
        ),
      ]),
    );
    expect(found).toHaveLength(3);
  });

  it('retention: old rotated files deleted, verification starts from the signed checkpoint', async () => {
    const s = await scenario();
    await s.write(10);
    const { rename } = await import('node:fs/promises');
    await rename(s.path, join(s.dir, 'audit.1.jsonl'));
    const log = await s.open();
    for (let i = 11; i <= 15; i++) await log.append(entry(i));
    await log.shipped();
    await log.close();
    await rm(join(s.dir, 'audit.1.jsonl'));
    const [report] = await s.verify({ anchors: false });
    expect(report!.findings).toEqual([]);
    expect(report!.notes).toContain('starts at seq 11, right after a signed checkpoint');
    const [withAnchors] = await s.verify();
    expect(withAnchors!.findings).toEqual([]);
  });

  it('a batch re-sent after a crash (acknowledged, cursor not yet written) is not written twice', async () => {
    const s = await scenario();
    await s.write(7);
    const batchKeys = async () => {
      const listed = await s3.send(
        new ListObjectVersionsCommand({ Bucket: BUCKET, Prefix: s.s3Options.prefix }),
      );
      return (listed.Versions ?? [])
        .filter((version) => version.Key!.includes('/lines/'))
        .map((version) => version.Key!.replace(/.*\/lines\//, ''));
    };
    const before = await batchKeys();
    const [first, last] = before.at(-1)!.match(/\d+/g)!.map(Number) as [number, number];
    const cursorFile = (await readdir(s.dir)).find((name) => name.includes('.sink-s3'))!;
    const cursor = JSON.parse(await readFile(join(s.dir, cursorFile), 'utf8'));
    // As the file stood when the process died: the last batch in flight, the cursor not yet moved.
    await writeFile(
      join(s.dir, cursorFile),
      JSON.stringify({ ...cursor, lines: first - 1, inflight: { first, last } }),
    );
    const log = await s.open();
    await log.append(entry(8));
    await log.shipped();
    await log.close();
    expect(await batchKeys()).toEqual([...before, '000000000008-000000000008.jsonl.gz']);
    expect(findings(await s.verify())).toEqual([]);
  });

  it('the S3 sink survives throttling and 5xx: every line arrives once (by seq)', async () => {
    const s = await scenario();
    emulator.throttle('s3:PutObject', { times: 3 });
    emulator.failInternally('s3:PutObject', { times: 2 });
    await s.write();
    expect(s.errors.length).toBeGreaterThanOrEqual(5);
    const listed = await s3.send(
      new ListObjectVersionsCommand({ Bucket: BUCKET, Prefix: s.s3Options.prefix }),
    );
    const seqs: number[] = [];
    for (const version of listed.Versions ?? []) {
      if (!version.Key!.includes('/lines/')) continue;
      const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: version.Key! }));
      const text = gunzipSync(Buffer.from(await object.Body!.transformToByteArray())).toString('utf8');
      for (const line of text.split('\n').filter(Boolean))
        seqs.push((JSON.parse(line) as { seq: number }).seq);
    }
    expect(seqs.sort((a, b) => a - b)).toEqual(Array.from({ length: LINES }, (_, i) => i + 1));
    expect(findings(await s.verify())).toEqual([]);
    expect((await readdir(s.dir)).sort()).toContain('audit.checkpoints.jsonl');
  });
});
