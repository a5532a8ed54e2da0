import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { AuditReceiver } from '@chatops/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsEmulator, startAwsEmulator } from '../src/emulator/index.js';
import { sdkClients } from './support/sdk-clients.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const cli = join(root, 'packages/core/bin/chatops.js');
const BUCKET = 'audit-cli';
const { privateKey, publicKey } = generateKeyPairSync('ed25519');

let emulator: AwsEmulator;
let receiver: AuditReceiver;
let s3: S3Client;
let dir: string;

beforeAll(async () => {
  emulator = await startAwsEmulator();
  s3 = sdkClients(emulator).s3;
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET, ObjectLockEnabledForBucket: true }));
  receiver = await new AuditReceiver().start();
  dir = await mkdtemp(join(tmpdir(), 'chatops-audit-cli-'));
});

afterAll(async () => {
  s3.destroy();
  await receiver.stop();
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

const env = () => ({
  ...process.env,
  AUDIT_SIGNING_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  AUDIT_S3_ENDPOINT: emulator.endpoint,
  AUDIT_S3_KEY: emulator.credentials.accessKeyId,
  AUDIT_S3_SECRET: emulator.credentials.secretAccessKey,
});

async function writeConfig(): Promise<string> {
  const path = join(dir, 'chatops.config.yaml');
  await writeFile(
    path,
    `name: opsbot
instance: burst-1
store: { type: memory }
auth: { rateLimit: false }
log: { level: warn }
audit:
  path: ./audit/audit.jsonl
  shipping: { batchLines: 50, batchWait: 20ms, maxRetryDelay: 200ms }
  checkpoints: { interval: 300ms, keyId: k1, privateKey: "\${AUDIT_SIGNING_KEY}" }
  sinks:
    - type: s3
      bucket: ${BUCKET}
      prefix: burst/
      region: us-east-1
      endpoint: "\${AUDIT_S3_ENDPOINT}"
      credentials: { accessKeyId: "\${AUDIT_S3_KEY}", secretAccessKey: "\${AUDIT_S3_SECRET}" }
      objectLock: { mode: COMPLIANCE, days: 1 }
      maxAttempts: 1
    - { type: http, url: "${receiver.url}" }
`,
  );
  return path;
}

function startBot(config: string): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, [cli, 'start', '--config', config], {
    cwd: root,
    env: env(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, output: () => output, exited };
}

function run(
  args: string[],
  extraEnv: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: root, env: { ...env(), ...extraEnv } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

async function completeLines(path: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text
    .split('\n')
    .slice(0, -1)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function until(probe: () => Promise<boolean> | boolean, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function shippedSeqs(): Promise<number[]> {
  const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: BUCKET, Prefix: 'burst/' }));
  const seqs: number[] = [];
  for (const version of listed.Versions ?? []) {
    if (!version.Key!.includes('/lines/')) continue;
    const object = await s3.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: version.Key!, VersionId: version.VersionId! }),
    );
    const text = gunzipSync(Buffer.from(await object.Body!.transformToByteArray())).toString('utf8');
    for (const line of text.split('\n').filter(Boolean)) seqs.push((JSON.parse(line) as { seq: number }).seq);
  }
  return seqs.sort((a, b) => a - b);
}

describe('chatops with audit sinks (child processes)', () => {
  it('a second writer of the running bot audit file exits 2 naming the process; kill -9 mid-burst loses and doubles nothing', async () => {
    const config = await writeConfig();
    const auditPath = join(dir, 'audit', 'audit.jsonl');
    const bot = startBot(config);
    bot.child.stdin!.write('whoami\n');
    await until(async () => (await completeLines(auditPath)).length >= 2, 'the first audit lines');

    const second = await run(['run', '--config', config, 'whoami']);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`is being written by process ${bot.child.pid} on `);
    expect(second.stderr).toContain('a second writer would fork the hash chain');

    bot.child.stdin!.write('whoami\n'.repeat(400));
    await until(async () => (await completeLines(auditPath)).length >= 300, 'a burst of audit lines');
    bot.child.kill('SIGKILL');
    await bot.exited;
    const acknowledged = (await completeLines(auditPath)).map((line) => line.seq as number);
    expect(acknowledged.length).toBeGreaterThanOrEqual(300);
    // The kill came in the middle of the burst (each command writes two lines).
    expect(acknowledged.length).toBeLessThan(2 + 800);

    const restarted = startBot(config);
    const mine = () => receiver.lines.filter((line) => line.instance === 'burst-1');
    await until(async () => {
      const written = (await completeLines(auditPath)).length;
      return (
        new Set(mine().map((line) => line.seq)).size >= written && (await shippedSeqs()).length >= written
      );
    }, 'every line at both sinks');
    restarted.child.stdin!.end();
    expect(await restarted.exited).toBe(0);

    const all = (await completeLines(auditPath)).map((line) => line.seq as number);
    expect(all.slice(0, acknowledged.length)).toEqual(acknowledged);
    const expected = Array.from({ length: all.length }, (_, i) => i + 1);
    expect(all).toEqual(expected);
    expect(
      mine()
        .map((line) => line.seq as number)
        .sort((a, b) => a - b),
    ).toEqual(expected);
    expect(await shippedSeqs()).toEqual(expected);

    const verified = await run(['audit', 'verify', '--config', config]);
    expect(verified.stdout).toMatch(/^OK: .*audit\.jsonl: \d+ line\(s\) \(burst-1, chain [0-9a-f]{12}…\)$/m);
    expect(verified.code).toBe(0);

    // The same from another host: only the bucket, the public key and read credentials.
    const publicKeyFile = join(dir, 'k1.pub.pem');
    await writeFile(publicKeyFile, publicKey.export({ type: 'spki', format: 'pem' }).toString());
    const elsewhere = await run(
      [
        'audit',
        'verify',
        auditPath,
        '--anchors',
        `s3://${BUCKET}/burst/`,
        '--endpoint',
        emulator.endpoint,
        '--region',
        'us-east-1',
        '--public-key',
        `k1=${publicKeyFile}`,
      ],
      {
        AWS_ACCESS_KEY_ID: emulator.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: emulator.credentials.secretAccessKey,
      },
    );
    expect(elsewhere.stdout).toMatch(/^OK: .*audit\.jsonl: \d+ line\(s\) \(burst-1, chain /m);
    expect(elsewhere.code).toBe(0);
    const lines = (await readFile(auditPath, 'utf8')).split('\n');
    await writeFile(auditPath, `${lines.slice(0, -4).join('\n')}\n`);
    const cut = await run(
      ['audit', 'verify', auditPath, '--anchors', `s3://${BUCKET}/burst/`, '--endpoint', emulator.endpoint],
      {
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: emulator.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: emulator.credentials.secretAccessKey,
      },
    );
    expect(cut.code).toBe(1);
    expect(cut.stdout).toMatch(/missing at the end/);
    expect(cut.stdout).toMatch(/: \d+ checkpoint\(s\) not checked: no public keys given/);

    const tail = await run(['audit', 'tail', '-n', '2', join(dir, 'audit')]);
    expect(tail.code).toBe(0);
    expect(tail.stdout.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^\S+ \S+ \[burst-1\] /),
      expect.stringMatching(/^\S+ \S+ \[burst-1\] /),
    ]);

    const plain = await run(['audit', 'verify', '--config', config, '--no-anchors']);
    expect(plain.stdout).toContain(
      'tail truncation and recomputed chains are not detectable without anchors',
    );
  });
});
