import {
  DeletePublicAccessBlockCommand,
  GetBucketAclCommand,
  GetBucketLocationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyStatusCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutBucketAclCommand,
  PutPublicAccessBlockCommand,
  paginateListBuckets,
} from '@aws-sdk/client-s3';
import {
  GetPublicAccessBlockCommand as GetAccountBlockCommand,
  PutPublicAccessBlockCommand as PutAccountBlockCommand,
} from '@aws-sdk/client-s3-control';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_GROUPS_URI, type AwsEmulator, startAwsEmulator } from '../src/emulator/index.js';
import { sdkClients } from './support/sdk-clients.js';

const PUBLIC_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::web/*' }],
};

let emulator: AwsEmulator;
let clients: ReturnType<typeof sdkClients>;

beforeAll(async () => {
  emulator = await startAwsEmulator();
  const account = emulator.account();
  account.addBucket({ name: 'web', acl: 'public-read', policy: PUBLIC_POLICY });
  account.addBucket({ name: 'logs', region: 'eu-west-1', publicAccessBlock: { BlockPublicAcls: true } });
  account.addBucket({ name: 'legacy', region: 'eu-west-1', legacyLocation: true });
  account.addBucket({ name: 'enforced', acl: 'public-read', ownership: 'BucketOwnerEnforced' });
  for (let index = 0; index < 5; index += 1)
    account.addBucket({ name: `bulk-${index}`, region: 'ap-southeast-2' });
  clients = sdkClients(emulator);
});

afterAll(async () => {
  await emulator.close();
});

describe('S3 REST emulator with the real SDK', () => {
  it('lists buckets unpaginated without regions, and paginated with BucketRegion and tokens', async () => {
    const all = await clients.s3.send(new ListBucketsCommand({}));
    expect(all.Buckets?.map((bucket) => bucket.Name)).toEqual([
      'bulk-0',
      'bulk-1',
      'bulk-2',
      'bulk-3',
      'bulk-4',
      'enforced',
      'legacy',
      'logs',
      'web',
    ]);
    expect(all.Buckets?.[0]?.BucketRegion).toBeUndefined();
    expect(all.Owner?.ID).toBe(emulator.account().canonicalId);

    const pages = [];
    for await (const page of paginateListBuckets({ client: clients.s3, pageSize: 4 }, {})) pages.push(page);
    expect(pages.map((page) => page.Buckets?.length)).toEqual([4, 4, 1]);
    expect(pages[0]?.ContinuationToken).toBeTruthy();
    expect(pages[2]?.ContinuationToken).toBeUndefined();
    expect(pages[1]?.Buckets?.find((bucket) => bucket.Name === 'logs')?.BucketRegion).toBe('eu-west-1');
    expect(pages[0]?.Buckets?.[0]?.CreationDate).toBeInstanceOf(Date);

    const filtered = await clients.s3.send(
      new ListBucketsCommand({ MaxBuckets: 100, Prefix: 'bulk-', BucketRegion: 'ap-southeast-2' }),
    );
    expect(filtered.Buckets).toHaveLength(5);
    expect(filtered.Prefix).toBe('bulk-');
  });

  it('answers locations: empty for us-east-1, EU for legacy buckets', async () => {
    expect(
      (await clients.s3.send(new GetBucketLocationCommand({ Bucket: 'web' }))).LocationConstraint,
    ).toBeUndefined();
    expect((await clients.s3.send(new GetBucketLocationCommand({ Bucket: 'logs' }))).LocationConstraint).toBe(
      'eu-west-1',
    );
    expect(
      (await clients.s3.send(new GetBucketLocationCommand({ Bucket: 'legacy' }))).LocationConstraint,
    ).toBe('EU');
  });

  it('redirects calls signed for the wrong region, which followRegionRedirects follows', async () => {
    const error = await clients.s3
      .send(new GetPublicAccessBlockCommand({ Bucket: 'logs' }))
      .catch((caught) => caught);
    expect(error.name).toBe('PermanentRedirect');
    expect(error.$metadata.httpStatusCode).toBe(301);
    expect(error.$response.headers['x-amz-bucket-region']).toBe('eu-west-1');

    const following = sdkClients(emulator, { followRegionRedirects: true }).s3;
    const followed = await following.send(new GetPublicAccessBlockCommand({ Bucket: 'logs' }));
    expect(followed.PublicAccessBlockConfiguration?.BlockPublicAcls).toBe(true);
    const head = await sdkClients(emulator, { region: 'eu-west-1' }).s3.send(
      new HeadBucketCommand({ Bucket: 'logs' }),
    );
    expect(head.BucketRegion).toBe('eu-west-1');
  });

  it('answers the public access block, or NoSuchPublicAccessBlockConfiguration with a 404', async () => {
    const eu = sdkClients(emulator, { region: 'eu-west-1' }).s3;
    const block = await eu.send(new GetPublicAccessBlockCommand({ Bucket: 'logs' }));
    expect(block.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: false,
      BlockPublicPolicy: false,
      RestrictPublicBuckets: false,
    });
    const missing = await clients.s3
      .send(new GetPublicAccessBlockCommand({ Bucket: 'web' }))
      .catch((caught) => caught);
    expect(missing.name).toBe('NoSuchPublicAccessBlockConfiguration');
    expect(missing.$metadata.httpStatusCode).toBe(404);
    expect(missing.BucketName).toBe('web');
  });

  it('answers policy status, or NoSuchBucketPolicy', async () => {
    const status = await clients.s3.send(new GetBucketPolicyStatusCommand({ Bucket: 'web' }));
    expect(status.PolicyStatus?.IsPublic).toBe(true);
    const missing = await clients.s3
      .send(new GetBucketPolicyStatusCommand({ Bucket: 'enforced' }))
      .catch((caught) => caught);
    expect(missing.name).toBe('NoSuchBucketPolicy');
    expect(missing.$metadata.httpStatusCode).toBe(404);
  });

  it('answers effective ACL grants with xsi:type, owner-only when ACLs are disabled', async () => {
    const acl = await clients.s3.send(new GetBucketAclCommand({ Bucket: 'web' }));
    expect(acl.Grants).toEqual([
      { Grantee: { Type: 'CanonicalUser', ID: emulator.account().canonicalId }, Permission: 'FULL_CONTROL' },
      { Grantee: { Type: 'Group', URI: ALL_GROUPS_URI }, Permission: 'READ' },
    ]);
    const enforced = await clients.s3.send(new GetBucketAclCommand({ Bucket: 'enforced' }));
    expect(enforced.Grants).toHaveLength(1);
    const ownership = await clients.s3.send(new GetBucketOwnershipControlsCommand({ Bucket: 'enforced' }));
    expect(ownership.OwnershipControls?.Rules?.[0]?.ObjectOwnership).toBe('BucketOwnerEnforced');
    const none = await clients.s3
      .send(new GetBucketOwnershipControlsCommand({ Bucket: 'web' }))
      .catch((caught) => caught);
    expect(none.name).toBe('OwnershipControlsNotFoundError');
    const rejected = await clients.s3
      .send(new PutBucketAclCommand({ Bucket: 'enforced', ACL: 'private' }))
      .catch((caught) => caught);
    expect(rejected.name).toBe('AccessControlListNotSupported');
    expect(rejected.$metadata.httpStatusCode).toBe(400);
  });

  it('stores PutPublicAccessBlock (with the checksum the SDK sends) and deletes it', async () => {
    emulator.account().addBucket({ name: 'to-block' });
    await clients.s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: 'to-block',
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      }),
    );
    expect(emulator.bucket('to-block')?.publicAccessBlock).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    const invalid = await clients.s3
      .send(new PutPublicAccessBlockCommand({ Bucket: 'to-block', PublicAccessBlockConfiguration: {} }))
      .catch((caught) => caught);
    expect(invalid.name).toBe('InvalidRequest');
    await clients.s3.send(new DeletePublicAccessBlockCommand({ Bucket: 'to-block' }));
    expect(emulator.bucket('to-block')?.publicAccessBlock).toBeUndefined();
  });

  it('answers NoSuchBucket and denies other accounts’ buckets', async () => {
    const missing = await clients.s3
      .send(new GetBucketAclCommand({ Bucket: 'nope' }))
      .catch((caught) => caught);
    expect(missing.name).toBe('NoSuchBucket');
    emulator.addAccount('210987654321').addBucket({ name: 'theirs' });
    const foreign = await clients.s3
      .send(new GetBucketAclCommand({ Bucket: 'theirs' }))
      .catch((caught) => caught);
    expect(foreign.name).toBe('AccessDenied');
    expect(foreign.$metadata.httpStatusCode).toBe(403);
  });

  it('serves the account-level block through S3 Control', async () => {
    const accountId = emulator.defaultAccountId;
    const missing = await clients.s3control
      .send(new GetAccountBlockCommand({ AccountId: accountId }))
      .catch((caught) => caught);
    expect(missing.name).toBe('NoSuchPublicAccessBlockConfiguration');
    expect(missing.$metadata.httpStatusCode).toBe(404);
    await clients.s3control.send(
      new PutAccountBlockCommand({
        AccountId: accountId,
        PublicAccessBlockConfiguration: { IgnorePublicAcls: true, RestrictPublicBuckets: true },
      }),
    );
    const block = await clients.s3control.send(new GetAccountBlockCommand({ AccountId: accountId }));
    expect(block.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: false,
      IgnorePublicAcls: true,
      BlockPublicPolicy: false,
      RestrictPublicBuckets: true,
    });
    emulator.account().setPublicAccessBlock(undefined);
  });
});
