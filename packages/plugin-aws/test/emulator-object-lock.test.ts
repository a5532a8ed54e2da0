import { gzipSync } from 'node:zlib';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectLockConfigurationCommand,
  GetObjectRetentionCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectCommand,
  PutObjectRetentionCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsEmulator, startAwsEmulator } from '../src/emulator/index.js';
import { sdkClients } from './support/sdk-clients.js';

let emulator: AwsEmulator;
let s3: S3Client;
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);

beforeAll(async () => {
  emulator = await startAwsEmulator();
  s3 = sdkClients(emulator).s3;
  await s3.send(new CreateBucketCommand({ Bucket: 'audit', ObjectLockEnabledForBucket: true }));
  await s3.send(new CreateBucketCommand({ Bucket: 'plain' }));
});

afterAll(async () => {
  s3.destroy();
  await emulator.close();
});

async function put(key: string, body: string | Buffer, mode: 'COMPLIANCE' | 'GOVERNANCE', days = 1) {
  return s3.send(
    new PutObjectCommand({
      Bucket: 'audit',
      Key: key,
      Body: body,
      ObjectLockMode: mode,
      ObjectLockRetainUntilDate: inDays(days),
    }),
  );
}

async function expectError(promise: Promise<unknown>, name: string, status: number) {
  const error = (await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  )) as { name: string; $metadata: { httpStatusCode: number } } | undefined;
  expect(error, `expected ${name}`).toBeDefined();
  expect({ name: error!.name, status: error!.$metadata.httpStatusCode }).toEqual({ name, status });
}

describe('AWS emulator: S3 objects with Object Lock', () => {
  it('CreateBucket with Object Lock turns it on; a plain bucket has none', async () => {
    const answer = await s3.send(new GetObjectLockConfigurationCommand({ Bucket: 'audit' }));
    expect(answer.ObjectLockConfiguration?.ObjectLockEnabled).toBe('Enabled');
    await expectError(
      s3.send(new GetObjectLockConfigurationCommand({ Bucket: 'plain' })),
      'ObjectLockConfigurationNotFoundError',
      404,
    );
    await expectError(s3.send(new CreateBucketCommand({ Bucket: 'audit' })), 'BucketAlreadyOwnedByYou', 409);
  });

  it('stores binary bodies exactly and reports the retention on GetObject', async () => {
    const body = gzipSync('{"seq":1}\n');
    const written = await put('bin/one.gz', body, 'COMPLIANCE');
    expect(written.VersionId).toMatch(/\S{8,}/);
    const read = await s3.send(new GetObjectCommand({ Bucket: 'audit', Key: 'bin/one.gz' }));
    expect(Buffer.from(await read.Body!.transformToByteArray())).toEqual(body);
    expect(read.ObjectLockMode).toBe('COMPLIANCE');
    expect(read.ObjectLockRetainUntilDate!.getTime()).toBeGreaterThan(Date.now());
    const retention = await s3.send(new GetObjectRetentionCommand({ Bucket: 'audit', Key: 'bin/one.gz' }));
    expect(retention.Retention?.Mode).toBe('COMPLIANCE');
  });

  it('an overwrite adds a version on top: the locked original stays readable by version id', async () => {
    const first = await put('cp/a.json', 'original', 'COMPLIANCE');
    const second = await put('cp/a.json', 'forged', 'COMPLIANCE');
    expect(second.VersionId).not.toBe(first.VersionId);
    const latest = await s3.send(new GetObjectCommand({ Bucket: 'audit', Key: 'cp/a.json' }));
    expect(await latest.Body!.transformToString()).toBe('forged');
    const original = await s3.send(
      new GetObjectCommand({ Bucket: 'audit', Key: 'cp/a.json', VersionId: first.VersionId! }),
    );
    expect(await original.Body!.transformToString()).toBe('original');
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: 'audit', Prefix: 'cp/' }));
    expect(versions.Versions?.map((version) => [version.VersionId, version.IsLatest])).toEqual([
      [second.VersionId, true],
      [first.VersionId, false],
    ]);
  });

  it('deleting a locked version fails with 403 AccessDenied, in either mode, until bypassed (GOVERNANCE only)', async () => {
    const compliance = await put('cp/c.json', 'c', 'COMPLIANCE');
    await expectError(
      s3.send(
        new DeleteObjectCommand({ Bucket: 'audit', Key: 'cp/c.json', VersionId: compliance.VersionId! }),
      ),
      'AccessDenied',
      403,
    );
    await expectError(
      s3.send(
        new DeleteObjectCommand({
          Bucket: 'audit',
          Key: 'cp/c.json',
          VersionId: compliance.VersionId!,
          BypassGovernanceRetention: true,
        }),
      ),
      'AccessDenied',
      403,
    );
    const governance = await put('cp/g.json', 'g', 'GOVERNANCE');
    await expectError(
      s3.send(
        new DeleteObjectCommand({ Bucket: 'audit', Key: 'cp/g.json', VersionId: governance.VersionId! }),
      ),
      'AccessDenied',
      403,
    );
    await s3.send(
      new DeleteObjectCommand({
        Bucket: 'audit',
        Key: 'cp/g.json',
        VersionId: governance.VersionId!,
        BypassGovernanceRetention: true,
      }),
    );
    await expectError(s3.send(new GetObjectCommand({ Bucket: 'audit', Key: 'cp/g.json' })), 'NoSuchKey', 404);
  });

  it('a delete without version id only adds a delete marker over the locked version', async () => {
    const kept = await put('cp/d.json', 'kept', 'COMPLIANCE');
    const deleted = await s3.send(new DeleteObjectCommand({ Bucket: 'audit', Key: 'cp/d.json' }));
    expect(deleted.DeleteMarker).toBe(true);
    await expectError(s3.send(new GetObjectCommand({ Bucket: 'audit', Key: 'cp/d.json' })), 'NoSuchKey', 404);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'audit', Prefix: 'cp/d' }));
    expect(listed.Contents ?? []).toEqual([]);
    const original = await s3.send(
      new GetObjectCommand({ Bucket: 'audit', Key: 'cp/d.json', VersionId: kept.VersionId! }),
    );
    expect(await original.Body!.transformToString()).toBe('kept');
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: 'audit', Prefix: 'cp/d' }));
    expect(versions.DeleteMarkers?.map((marker) => marker.IsLatest)).toEqual([true]);
  });

  it('a COMPLIANCE retention cannot be shortened; it can be extended', async () => {
    const object = await put('cp/r.json', 'r', 'COMPLIANCE', 10);
    await expectError(
      s3.send(
        new PutObjectRetentionCommand({
          Bucket: 'audit',
          Key: 'cp/r.json',
          VersionId: object.VersionId!,
          Retention: { Mode: 'COMPLIANCE', RetainUntilDate: inDays(1) },
          BypassGovernanceRetention: true,
        }),
      ),
      'AccessDenied',
      403,
    );
    await s3.send(
      new PutObjectRetentionCommand({
        Bucket: 'audit',
        Key: 'cp/r.json',
        Retention: { Mode: 'COMPLIANCE', RetainUntilDate: inDays(20) },
      }),
    );
  });

  it('lock headers on a bucket without Object Lock are a 400 InvalidRequest', async () => {
    await expectError(
      s3.send(
        new PutObjectCommand({
          Bucket: 'plain',
          Key: 'x',
          Body: 'x',
          ObjectLockMode: 'COMPLIANCE',
          ObjectLockRetainUntilDate: inDays(1),
        }),
      ),
      'InvalidRequest',
      400,
    );
  });

  it('lists keys in pages with a continuation token', async () => {
    for (const name of ['p/1', 'p/2', 'p/3']) await put(name, name, 'GOVERNANCE');
    const first = await s3.send(new ListObjectsV2Command({ Bucket: 'audit', Prefix: 'p/', MaxKeys: 2 }));
    expect(first.Contents?.map((entry) => entry.Key)).toEqual(['p/1', 'p/2']);
    expect(first.IsTruncated).toBe(true);
    const second = await s3.send(
      new ListObjectsV2Command({
        Bucket: 'audit',
        Prefix: 'p/',
        ContinuationToken: first.NextContinuationToken!,
      }),
    );
    expect(second.Contents?.map((entry) => entry.Key)).toEqual(['p/3']);
  });

  it('injected SlowDown and InternalError answers are retried by the SDK', async () => {
    emulator.throttle('s3:PutObject', { times: 1 });
    emulator.failInternally('s3:PutObject', { times: 1 });
    const retrying = sdkClients(emulator, { maxAttempts: 3 }).s3;
    const before = emulator.callCount('s3:PutObject');
    await retrying.send(new PutObjectCommand({ Bucket: 'audit', Key: 'retry', Body: 'x' }));
    expect(emulator.callCount('s3:PutObject') - before).toBe(3);
    retrying.destroy();
  });
});
