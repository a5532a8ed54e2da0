import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AwsCallError, describeAwsError } from '../src/aws-errors.js';
import type { AwsSession } from '../src/aws-session.js';
import { type AwsEmulator, type BucketInit, startAwsEmulator } from '../src/emulator/index.js';
import { type S3ScanResult, scanS3 } from '../src/s3/scan.js';
import { emulatorSession } from './support/session.js';

const PUBLIC_POLICY = {
  Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }],
};
const LIMITED_POLICY = {
  Statement: [
    { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 's3:GetObject' },
  ],
};

let emulator: AwsEmulator;
let session: AwsSession;

beforeEach(async () => {
  emulator = await startAwsEmulator();
  session = emulatorSession(emulator);
});

afterEach(async () => {
  session.destroy();
  await emulator.close();
});

async function verdictOf(init: Omit<BucketInit, 'name'>) {
  emulator.account().addBucket({ name: 'b', ...init });
  const result = await scanS3(session, { concurrency: 4 });
  const finding = result.findings.find((candidate) => candidate.name === 'b');
  return finding
    ? { status: finding.status, reasons: finding.reasons }
    : { status: 'not-public', reasons: [] };
}

describe('the public-bucket rule, through the real SDK', () => {
  it.each([
    ['nothing configured', {}, 'not-public', []],
    ['a policy limited to one account', { policy: LIMITED_POLICY }, 'not-public', []],
    ['a public policy', { policy: PUBLIC_POLICY }, 'public', ['bucket policy is public']],
    [
      'a public policy under RestrictPublicBuckets',
      { policy: PUBLIC_POLICY, publicAccessBlock: { RestrictPublicBuckets: true } },
      'not-public',
      [],
    ],
    [
      'a public policy with only BlockPublicPolicy (blocks new policies only)',
      { policy: PUBLIC_POLICY, publicAccessBlock: { BlockPublicPolicy: true } },
      'public',
      ['bucket policy is public'],
    ],
    ['an ACL granting AllUsers', { acl: 'public-read' }, 'public', ['ACL grants READ to AllUsers']],
    [
      'an ACL granting AllUsers read and write',
      { acl: 'public-read-write' },
      'public',
      ['ACL grants READ to AllUsers', 'ACL grants WRITE to AllUsers'],
    ],
    [
      'an ACL granting AuthenticatedUsers',
      { acl: 'authenticated-read' },
      'public',
      ['ACL grants READ to AuthenticatedUsers'],
    ],
    [
      'a public ACL under IgnorePublicAcls',
      { acl: 'public-read', publicAccessBlock: { IgnorePublicAcls: true } },
      'not-public',
      [],
    ],
    [
      'a public ACL with only BlockPublicAcls (blocks new ACLs only)',
      { acl: 'public-read', publicAccessBlock: { BlockPublicAcls: true } },
      'public',
      ['ACL grants READ to AllUsers'],
    ],
    [
      'a public ACL with ACLs disabled (BucketOwnerEnforced)',
      { acl: 'public-read', ownership: 'BucketOwnerEnforced' },
      'not-public',
      [],
    ],
    [
      'a public ACL with BucketOwnerPreferred',
      { acl: 'public-read', ownership: 'BucketOwnerPreferred' },
      'public',
      ['ACL grants READ to AllUsers'],
    ],
    [
      'a public policy and ACL under IgnorePublicAcls only',
      { acl: 'public-read', policy: PUBLIC_POLICY, publicAccessBlock: { IgnorePublicAcls: true } },
      'public',
      ['bucket policy is public'],
    ],
    [
      'a public policy and ACL under RestrictPublicBuckets only',
      { acl: 'public-read', policy: PUBLIC_POLICY, publicAccessBlock: { RestrictPublicBuckets: true } },
      'public',
      ['ACL grants READ to AllUsers'],
    ],
    [
      'everything public under all four flags',
      {
        acl: 'public-read',
        policy: PUBLIC_POLICY,
        publicAccessBlock: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      },
      'not-public',
      [],
    ],
  ] as const)('%s → %s', async (_case, init, status, reasons) => {
    expect(await verdictOf(init as Omit<BucketInit, 'name'>)).toEqual({ status, reasons: [...reasons] });
  });

  it('combines account-level flags with bucket flags', async () => {
    emulator.account().setPublicAccessBlock({ RestrictPublicBuckets: true });
    expect(await verdictOf({ policy: PUBLIC_POLICY, acl: 'public-read' })).toEqual({
      status: 'public',
      reasons: ['ACL grants READ to AllUsers'],
    });
    emulator.account().bucket('b')!.publicAccessBlock = {
      BlockPublicAcls: false,
      IgnorePublicAcls: true,
      BlockPublicPolicy: false,
      RestrictPublicBuckets: false,
    };
    const result = await scanS3(session, { concurrency: 4 });
    expect(result.counts).toMatchObject({ public: 0, 'not-public': 1 });
  });

  it('stops at the account level when IgnorePublicAcls and RestrictPublicBuckets are on there', async () => {
    emulator.account().setPublicAccessBlock({ IgnorePublicAcls: true, RestrictPublicBuckets: true });
    emulator.account().addBucket({ name: 'b', acl: 'public-read', policy: PUBLIC_POLICY });
    const result = await scanS3(session, { concurrency: 4 });
    expect(result.blockedAtAccountLevel).toBe(true);
    expect(emulator.callCount('s3:ListBuckets')).toBe(0);
    expect(emulator.callCount('s3:GetBucketAcl')).toBe(0);
  });

  it('asks only what can still change the verdict', async () => {
    emulator.account().addBucket({
      name: 'locked',
      publicAccessBlock: { IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
    emulator.account().addBucket({ name: 'enforced', ownership: 'BucketOwnerEnforced' });
    await scanS3(session, { concurrency: 4 });
    expect(emulator.callCount('s3:GetPublicAccessBlock')).toBe(2);
    expect(emulator.callCount('s3:GetBucketPolicyStatus')).toBe(1);
    expect(emulator.callCount('s3:GetBucketOwnershipControls')).toBe(1);
    expect(emulator.callCount('s3:GetBucketAcl')).toBe(0);
  });
});

describe('denied calls make a bucket unknown, never private', () => {
  it('reports AccessDenied on GetBucketAcl for a bucket whose ACL decides', async () => {
    emulator.deny('s3:GetBucketAcl', { bucket: 'b' });
    expect(await verdictOf({ acl: 'public-read' })).toEqual({
      status: 'unknown',
      reasons: ['AccessDenied on GetBucketAcl'],
    });
  });

  it('reports a private-looking bucket as unknown too when its ACL is unreadable', async () => {
    emulator.deny('s3:GetBucketAcl');
    expect(await verdictOf({})).toEqual({ status: 'unknown', reasons: ['AccessDenied on GetBucketAcl'] });
  });

  it('does not need the ACL when IgnorePublicAcls neutralises it', async () => {
    emulator.deny('s3:GetBucketAcl');
    expect(await verdictOf({ publicAccessBlock: { IgnorePublicAcls: true } })).toEqual({
      status: 'not-public',
      reasons: [],
    });
  });

  it('still knows a public policy is public when the ACL is unreadable', async () => {
    emulator.deny('s3:GetBucketAcl');
    expect(await verdictOf({ policy: PUBLIC_POLICY })).toEqual({
      status: 'public',
      reasons: ['bucket policy is public'],
    });
  });

  it('explains a public policy that only an unreadable block could neutralise', async () => {
    emulator.deny('s3:GetPublicAccessBlock');
    expect(await verdictOf({ policy: PUBLIC_POLICY })).toEqual({
      status: 'unknown',
      reasons: [
        'bucket policy is public unless RestrictPublicBuckets is on (AccessDenied on GetPublicAccessBlock)',
      ],
    });
  });

  it('reports AccessDenied on GetBucketPolicyStatus', async () => {
    emulator.deny('s3:GetBucketPolicyStatus');
    expect(await verdictOf({})).toEqual({
      status: 'unknown',
      reasons: ['AccessDenied on GetBucketPolicyStatus'],
    });
  });

  it('falls back to the ACL when the ownership setting is unreadable', async () => {
    emulator.deny('s3:GetBucketOwnershipControls');
    expect(await verdictOf({ acl: 'public-read', ownership: 'BucketOwnerEnforced' })).toEqual({
      status: 'not-public',
      reasons: [],
    });
  });

  it('names the account-level block when it is unreadable', async () => {
    emulator.deny('s3control:GetPublicAccessBlock');
    const result = await scanS3(session, { concurrency: 4 });
    expect(result.accountBlock).toEqual({
      known: false,
      reason: 'AccessDenied on S3 Control GetPublicAccessBlock',
    });
    expect(await verdictOf({ acl: 'authenticated-read' })).toEqual({
      status: 'unknown',
      reasons: [
        'ACL grants READ to AuthenticatedUsers unless IgnorePublicAcls is on (AccessDenied on S3 Control GetPublicAccessBlock)',
      ],
    });
  });
});

describe('regions, paging and progress', () => {
  it('queries each bucket in its own region, from BucketRegion or GetBucketLocation', async () => {
    const account = emulator.account();
    account.addBucket({ name: 'east', acl: 'public-read' });
    account.addBucket({ name: 'dublin', region: 'eu-west-1', policy: PUBLIC_POLICY });
    account.addBucket({ name: 'legacy', region: 'eu-west-1', legacyLocation: true, acl: 'public-read' });
    account.addBucket({ name: 'sydney', region: 'ap-southeast-2', acl: 'authenticated-read' });
    const viaList = await scanS3(session, { concurrency: 4 });
    expect(viaList.findings.map((finding) => [finding.name, finding.region])).toEqual([
      ['dublin', 'eu-west-1'],
      ['east', 'us-east-1'],
      ['legacy', 'eu-west-1'],
      ['sydney', 'ap-southeast-2'],
    ]);
    expect(emulator.callCount('s3:GetBucketLocation')).toBe(0);
    expect(emulator.redirects).toBe(0);

    emulator.listBucketRegions = false;
    emulator.resetCallCounts();
    const viaLocation = await scanS3(session, { concurrency: 4 });
    expect(viaLocation.findings).toEqual(viaList.findings);
    expect(emulator.callCount('s3:GetBucketLocation')).toBe(4);
    expect(emulator.redirects).toBe(0);
  });

  it('follows the region redirect when the location is unreadable', async () => {
    emulator.listBucketRegions = false;
    emulator.deny('s3:GetBucketLocation');
    emulator.account().addBucket({ name: 'dublin', region: 'eu-west-1', acl: 'public-read' });
    const result = await scanS3(session, { concurrency: 4 });
    expect(result.counts.public).toBe(1);
    expect(emulator.redirects).toBeGreaterThan(0);
  });

  it('pages through more than 1,000 buckets and reports progress', async () => {
    const account = emulator.account();
    for (let index = 0; index < 1001; index += 1) {
      account.addBucket({
        name: `bucket-${String(index).padStart(4, '0')}`,
        publicAccessBlock: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      });
    }
    account.addBucket({ name: 'zz-public', acl: 'public-read' });
    const progress: number[] = [];
    let listed = 0;
    const result: S3ScanResult = await scanS3(session, {
      concurrency: 16,
      onListed: (total) => {
        listed = total;
      },
      onProgress: (checked) => progress.push(checked),
    });
    expect(emulator.callCount('s3:ListBuckets')).toBe(2);
    expect(listed).toBe(1002);
    expect(progress.at(-1)).toBe(1002);
    expect(result.counts).toEqual({ public: 1, 'not-public': 1001, unknown: 0, gone: 0 });
    expect(result.couldBecomePublic).toBe(1);
  });

  it('never has more S3 calls in flight than `concurrency`, over all buckets together', async () => {
    emulator.listBucketRegions = false;
    emulator.latencyMs = 20;
    for (let index = 0; index < 12; index += 1) {
      emulator.account().addBucket({ name: `open-${index}`, policy: PUBLIC_POLICY, acl: 'public-read' });
    }
    emulator.resetCallCounts();
    const result = await scanS3(session, { concurrency: 3 });
    expect(result.counts.public).toBe(12);
    // Every bucket asked for its location, its flags, its policy, its ownership and its ACL.
    expect(emulator.callCount('s3:GetBucketAcl')).toBe(12);
    expect(emulator.maxInFlight).toBeLessThanOrEqual(3);
    expect(emulator.maxInFlight).toBeGreaterThan(1);
  });

  it('retries a throttled call (SlowDown) and still decides', async () => {
    const retrying = emulatorSession(emulator, {}, 2);
    emulator.throttle('s3:GetBucketAcl', { times: 1 });
    emulator.account().addBucket({ name: 'b', acl: 'public-read' });
    const result = await scanS3(retrying, { concurrency: 1 });
    retrying.destroy();
    expect(result.counts.public).toBe(1);
    expect(emulator.callCount('s3:GetBucketAcl')).toBe(2);
  });
});

describe('credentials and accounts', () => {
  it('scans another account through AssumeRole with its external id', async () => {
    const prod = emulator.addAccount('210987654321');
    const role = prod.addRole({ name: 'chatops-audit', externalId: 'ext-1' });
    prod.addBucket({ name: 'prod-site', acl: 'public-read' });
    emulator.account().addBucket({ name: 'dev-site', acl: 'public-read' });
    const assumed = emulatorSession(emulator, { name: 'prod', roleArn: role.arn, externalId: 'ext-1' });
    const result = await scanS3(assumed, { concurrency: 4 });
    expect(result.accountId).toBe('210987654321');
    expect(result.findings.map((finding) => finding.name)).toEqual(['prod-site']);
    await scanS3(assumed, { concurrency: 4 });
    expect(emulator.callCount('sts:AssumeRole')).toBe(1);
    assumed.destroy();

    const wrong = emulatorSession(emulator, { name: 'prod', roleArn: role.arn, externalId: 'nope' });
    const error = await scanS3(wrong, { concurrency: 4 }).catch((caught) => caught);
    wrong.destroy();
    expect(error).toBeInstanceOf(AwsCallError);
    expect(describeAwsError(error, 'prod')).toBe(
      "Account prod: could not assume its role (AccessDenied): the bot's identity needs sts:AssumeRole on it and the role's trust policy must allow the bot (check externalId).",
    );
  });

  it('turns expired and unknown keys and a denied ListBuckets into one sentence', async () => {
    emulator.deny('s3:ListBuckets');
    const denied = await scanS3(session, { concurrency: 4 }).catch((caught) => caught);
    expect(describeAwsError(denied, 'test')).toBe(
      'Account test needs s3:ListAllMyBuckets (AccessDenied on ListBuckets).',
    );

    const unknownKey = emulatorSession(emulator, {
      credentials: { accessKeyId: 'AKIANOBODY', secretAccessKey: 'x' },
    });
    const invalid = await scanS3(unknownKey, { concurrency: 4 }).catch((caught) => caught);
    unknownKey.destroy();
    expect(describeAwsError(invalid, 'test')).toBe(
      'The AWS credentials for account test are not valid (InvalidClientTokenId on GetCallerIdentity): check the access key and secret.',
    );

    emulator.expireCredentials(emulator.credentials.accessKeyId);
    const expired = await scanS3(session, { concurrency: 4 }).catch((caught) => caught);
    expect(describeAwsError(expired, 'test')).toBe(
      'The AWS credentials for account test have expired (ExpiredToken): refresh them (for example aws sso login) and try again.',
    );
  });

  it('ends the scan when credentials expire midway instead of calling buckets unknown', async () => {
    emulator.account().addBucket({ name: 'b', acl: 'public-read' });
    await session.identity();
    emulator.expireCredentials(emulator.credentials.accessKeyId);
    const error = await scanS3(session, { concurrency: 4 }).catch((caught) => caught);
    expect(error.code).toBe('ExpiredToken');
  });
});
