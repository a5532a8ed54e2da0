import { describe, expect, it } from 'vitest';
import { AwsCallError, describeAwsError, toCallError } from '../src/aws-errors.js';
import { mapLimit } from '../src/concurrency.js';
import { tableWithFile } from '../src/format.js';
import { parseCredentialReport } from '../src/iam/credential-report.js';
import { parseCsv } from '../src/iam/csv.js';
import { type Fact, known, unknown } from '../src/s3/fact.js';
import { type BlockFlags, type BucketFacts, judgeBucket, NO_BLOCK } from '../src/s3/verdict.js';

describe('credential report parsing', () => {
  it('keys on header names, honours quotes and reads booleans case-insensitively', () => {
    const csv = [
      'arn,user,mfa_active,password_enabled,password_last_used,user_creation_time,access_key_1_active,access_key_2_active',
      'arn:aws:iam::1:root,<root_account>,FALSE,not_supported,no_information,2019-01-01T00:00:00+00:00,false,false',
      'arn:aws:iam::1:user/a,"ops,bot",TRUE,True,N/A,2023-05-08T23:34:01+00:00,true,true',
      'arn:aws:iam::1:user/b,"say ""hi""",false,true,2024-06-01T10:00:00+00:00,not-a-date,false,N/A',
      '',
    ].join('\r\n');
    expect(parseCredentialReport(csv)).toEqual([
      {
        user: '<root_account>',
        arn: 'arn:aws:iam::1:root',
        root: true,
        console: true,
        mfa: false,
        activeAccessKeys: 0,
        createdAt: new Date('2019-01-01T00:00:00Z'),
        passwordLastUsed: 'never',
      },
      {
        user: 'ops,bot',
        arn: 'arn:aws:iam::1:user/a',
        root: false,
        console: true,
        mfa: true,
        activeAccessKeys: 2,
        createdAt: new Date('2023-05-08T23:34:01Z'),
      },
      {
        user: 'say "hi"',
        arn: 'arn:aws:iam::1:user/b',
        root: false,
        console: true,
        mfa: false,
        activeAccessKeys: 0,
        passwordLastUsed: new Date('2024-06-01T10:00:00Z'),
      },
    ]);
  });

  it('parses a file without a trailing newline and keeps empty fields', () => {
    expect(parseCsv('a,b,c\n1,,3')).toEqual([{ a: '1', b: '', c: '3' }]);
  });
});

function fakeFacts(answers: {
  block?: Fact<BlockFlags>;
  policy?: Fact<boolean>;
  enforced?: Fact<boolean>;
  grants?: Fact<string[]>;
}) {
  const asked: string[] = [];
  const answer = <T>(name: string, value: Fact<T>) => {
    asked.push(name);
    return Promise.resolve(value);
  };
  const facts: BucketFacts = {
    blockFlags: () => answer('block', answers.block ?? known(NO_BLOCK)),
    policyIsPublic: () => answer('policy', answers.policy ?? known(false)),
    ownershipEnforced: () => answer('ownership', answers.enforced ?? known(false)),
    publicGrants: () => answer('acl', answers.grants ?? known([])),
  };
  return { facts, asked };
}

describe('judgeBucket', () => {
  const all = {
    BlockPublicAcls: true,
    IgnorePublicAcls: true,
    BlockPublicPolicy: true,
    RestrictPublicBuckets: true,
  };

  it('asks nothing more once the account block settles it', async () => {
    const { facts, asked } = fakeFacts({ block: unknown('AccessDenied on GetPublicAccessBlock') });
    const verdict = await judgeBucket(known(all), facts);
    expect(verdict).toEqual({ status: 'not-public', reasons: [], couldBecomePublic: false });
    expect(asked).toEqual(['block']);
  });

  it('lists every public reason', async () => {
    const { facts } = fakeFacts({
      policy: known(true),
      grants: known(['READ to AllUsers', 'WRITE to AllUsers']),
    });
    expect((await judgeBucket(known(NO_BLOCK), facts)).reasons).toEqual([
      'bucket policy is public',
      'ACL grants READ to AllUsers',
      'ACL grants WRITE to AllUsers',
    ]);
  });

  it('is public when one path is public even if another is unknown', async () => {
    const { facts } = fakeFacts({ policy: known(true), grants: unknown('SlowDown on GetBucketAcl') });
    expect((await judgeBucket(known(NO_BLOCK), facts)).status).toBe('public');
  });

  it('collects every unknown reason', async () => {
    const { facts } = fakeFacts({
      policy: unknown('AccessDenied on GetBucketPolicyStatus'),
      grants: unknown('AccessDenied on GetBucketAcl'),
    });
    expect(await judgeBucket(known(NO_BLOCK), facts)).toEqual({
      status: 'unknown',
      reasons: ['AccessDenied on GetBucketPolicyStatus', 'AccessDenied on GetBucketAcl'],
      couldBecomePublic: true,
    });
  });
});

describe('mapLimit', () => {
  it('keeps order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapLimit([5, 1, 4, 2, 3], 2, async (value) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setImmediate(resolve));
      running -= 1;
      return value * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
  });

  it('rejects with the first error and stops taking work', async () => {
    const seen: number[] = [];
    const failing = mapLimit([1, 2, 3, 4], 1, async (value) => {
      seen.push(value);
      if (value === 2) throw new Error('boom');
      return value;
    });
    await expect(failing).rejects.toThrow('boom');
    expect(seen).toEqual([1, 2]);
  });

  it('stops when the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(mapLimit([1], 1, async (value) => value, controller.signal)).rejects.toThrow();
  });
});

describe('error sentences', () => {
  it('maps SDK error shapes to one sentence naming the missing permission', () => {
    const denied = toCallError('GetBucketPolicyStatus', {
      name: 'AccessDenied',
      message: 'Access Denied',
      $metadata: { httpStatusCode: 403 },
    });
    expect(describeAwsError(denied, 'prod')).toBe(
      'Account prod needs s3:GetBucketPolicyStatus (AccessDenied on GetBucketPolicyStatus).',
    );
    const account = toCallError('GetAccountPublicAccessBlock', { name: 'AccessDenied' });
    expect(describeAwsError(account, 'prod')).toBe(
      'Account prod needs s3:GetAccountPublicAccessBlock (AccessDenied on S3 Control GetPublicAccessBlock).',
    );
    const network = toCallError(
      'ListBuckets',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
    );
    expect(describeAwsError(network, 'prod')).toBe(
      'Could not reach AWS for account prod (ECONNREFUSED on ListBuckets).',
    );
    const throttled = new AwsCallError('ListUsers', 'Throttling', 400, 'Rate exceeded');
    expect(describeAwsError(throttled, 'prod')).toBe(
      'AWS throttled ListUsers for account prod (Throttling) even after retries; try again in a minute.',
    );
    const other = toCallError('ListBuckets', {
      name: 'InternalError',
      message: 'We encountered an internal error.\n  at x',
    });
    expect(describeAwsError(other, 'prod')).toBe(
      'AWS error on ListBuckets for account prod: InternalError: We encountered an internal error.',
    );
  });
});

describe('tableWithFile', () => {
  it('attaches the whole list as CSV past the row limit', () => {
    const rows = [
      ['a,1', 'x'],
      ['b', 'y'],
      ['c', 'z'],
    ];
    const parts = tableWithFile(['Name', 'Value'], rows, 2, 'list.csv');
    expect(parts.table?.rows).toEqual(rows.slice(0, 2));
    expect(parts.file?.content).toBe('Name,Value\n"a,1",x\nb,y\nc,z\n');
    expect(parts.note).toBe('Showing 2 of 3; the full list is in list.csv.');
    expect(tableWithFile(['Name'], [], 2, 'x.csv')).toEqual({});
  });
});
