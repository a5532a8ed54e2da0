import {
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  GetLoginProfileCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListMFADevicesCommand,
  ListUsersCommand,
  ListUserTagsCommand,
  paginateListUsers,
} from '@aws-sdk/client-iam';
import { GetBucketAclCommand } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AwsEmulator, CREDENTIAL_REPORT_COLUMNS, startAwsEmulator } from '../src/emulator/index.js';
import { sdkClients } from './support/sdk-clients.js';

let emulator: AwsEmulator;
let clients: ReturnType<typeof sdkClients>;

beforeEach(async () => {
  emulator = await startAwsEmulator();
  clients = sdkClients(emulator);
});

afterEach(async () => {
  await emulator.close();
});

describe('IAM Query emulator with the real SDK', () => {
  it('pages ListUsers with Marker and IsTruncated', async () => {
    for (let index = 0; index < 5; index += 1) {
      emulator.account().addUser({
        name: `user-${index}`,
        password: index === 0,
        passwordLastUsed: new Date('2024-06-01T10:00:00Z'),
      });
    }
    const pages = [];
    for await (const page of paginateListUsers({ client: clients.iam, pageSize: 2 }, {})) pages.push(page);
    expect(pages.map((page) => page.Users?.map((user) => user.UserName))).toEqual([
      ['user-0', 'user-1'],
      ['user-2', 'user-3'],
      ['user-4'],
    ]);
    expect(pages[0]?.IsTruncated).toBe(true);
    expect(pages[2]?.IsTruncated).toBe(false);
    expect(pages[0]?.Users?.[0]?.PasswordLastUsed).toEqual(new Date('2024-06-01T10:00:00Z'));
    expect(pages[0]?.Users?.[0]?.CreateDate).toBeInstanceOf(Date);
    const invalid = await clients.iam
      .send(new ListUsersCommand({ MaxItems: 5000 }))
      .catch((caught) => caught);
    expect(invalid.name).toBe('ValidationError');
  });

  it('answers MFA devices, login profiles, tags and access keys, with NoSuchEntityException', async () => {
    const account = emulator.account();
    account.addUser({
      name: 'alice',
      mfa: true,
      password: true,
      tags: { email: 'alice@example.com' },
      accessKeys: 1,
    });
    account.addUser({ name: 'bob' });
    const alice = await clients.iam.send(new ListMFADevicesCommand({ UserName: 'alice' }));
    expect(alice.MFADevices?.[0]?.SerialNumber).toBe(`arn:aws:iam::${account.id}:mfa/alice`);
    expect((await clients.iam.send(new ListMFADevicesCommand({ UserName: 'bob' }))).MFADevices).toEqual([]);
    expect(
      (await clients.iam.send(new GetLoginProfileCommand({ UserName: 'alice' }))).LoginProfile?.UserName,
    ).toBe('alice');
    const noProfile = await clients.iam
      .send(new GetLoginProfileCommand({ UserName: 'bob' }))
      .catch((caught) => caught);
    expect(noProfile.name).toBe('NoSuchEntityException');
    expect(noProfile.$metadata.httpStatusCode).toBe(404);
    expect(noProfile.message).toBe('Login Profile for User bob cannot be found.');
    expect((await clients.iam.send(new ListUserTagsCommand({ UserName: 'alice' }))).Tags).toEqual([
      { Key: 'email', Value: 'alice@example.com' },
    ]);
    expect(
      (await clients.iam.send(new ListAccessKeysCommand({ UserName: 'alice' }))).AccessKeyMetadata?.[0]
        ?.Status,
    ).toBe('Active');
    const unknown = await clients.iam
      .send(new ListMFADevicesCommand({ UserName: 'carol' }))
      .catch((caught) => caught);
    expect(unknown.name).toBe('NoSuchEntityException');
  });

  it('generates the credential report (STARTED, INPROGRESS, COMPLETE) and serves the CSV as bytes', async () => {
    emulator.credentialReportPolls = 2;
    emulator.account().addUser({ name: 'alice', password: true });
    emulator.account().addUser({ name: 'ops,bot', mfa: true });
    const absent = await clients.iam.send(new GetCredentialReportCommand({})).catch((caught) => caught);
    expect(absent.name).toBe('CredentialReportNotPresentException');
    expect((await clients.iam.send(new GenerateCredentialReportCommand({}))).State).toBe('STARTED');
    const notReady = await clients.iam.send(new GetCredentialReportCommand({})).catch((caught) => caught);
    expect(notReady.name).toBe('CredentialReportNotReadyException');
    expect((await clients.iam.send(new GenerateCredentialReportCommand({}))).State).toBe('INPROGRESS');
    expect((await clients.iam.send(new GenerateCredentialReportCommand({}))).State).toBe('COMPLETE');
    const report = await clients.iam.send(new GetCredentialReportCommand({}));
    expect(report.ReportFormat).toBe('text/csv');
    expect(report.GeneratedTime).toBeInstanceOf(Date);
    const lines = new TextDecoder().decode(report.Content).split('\n');
    expect(lines[0]).toBe(CREDENTIAL_REPORT_COLUMNS.join(','));
    expect(lines[1]?.startsWith('<root_account>,')).toBe(true);
    expect(lines[2]?.split(',').slice(3, 8)).toEqual([
      'true',
      'no_information',
      expect.any(String),
      'N/A',
      'false',
    ]);
    expect(lines[3]?.startsWith('"ops,bot",')).toBe(true);
  });

  it('sends IAM as a form-encoded Query request (catches a protocol switch)', async () => {
    const seen: string[] = [];
    const iam = new IAMClient({
      region: 'us-east-1',
      endpoint: emulator.endpoint,
      credentials: emulator.credentials,
    });
    iam.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { headers: Record<string, string> };
        seen.push(request.headers['content-type'] ?? '');
        return next(args);
      },
      { step: 'finalizeRequest' },
    );
    await iam.send(new ListUsersCommand({}));
    expect(seen[0]).toContain('application/x-www-form-urlencoded');
  });
});

describe('STS emulator', () => {
  it('answers GetCallerIdentity for the caller', async () => {
    const identity = await clients.sts.send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({
      Account: '123456789012',
      Arn: 'arn:aws:iam::123456789012:user/chatops',
    });
  });

  it('assumes a role in another account, requiring its external id; the session acts in that account', async () => {
    const prod = emulator.addAccount('210987654321');
    const role = prod.addRole({ name: 'chatops-audit', externalId: 'ext-123' });
    prod.addBucket({ name: 'prod-data' });
    const denied = await clients.sts
      .send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'chatops', ExternalId: 'wrong' }))
      .catch((caught) => caught);
    expect(denied.name).toBe('AccessDenied');
    expect(denied.$metadata.httpStatusCode).toBe(403);
    const assumed = await clients.sts.send(
      new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'chatops', ExternalId: 'ext-123' }),
    );
    expect(assumed.AssumedRoleUser?.Arn).toBe('arn:aws:sts::210987654321:assumed-role/chatops-audit/chatops');
    expect(assumed.Credentials?.Expiration).toBeInstanceOf(Date);
    const session = sdkClients(emulator, {
      credentials: {
        accessKeyId: assumed.Credentials!.AccessKeyId!,
        secretAccessKey: assumed.Credentials!.SecretAccessKey!,
        sessionToken: assumed.Credentials!.SessionToken!,
      },
    });
    expect((await session.sts.send(new GetCallerIdentityCommand({}))).Account).toBe('210987654321');
    expect((await session.s3.send(new GetBucketAclCommand({ Bucket: 'prod-data' }))).Grants).toHaveLength(1);
  });
});

describe('faults, counters and credentials', () => {
  it('denies one operation on one bucket only, and counts every call', async () => {
    emulator.account().addBucket({ name: 'a' });
    emulator.account().addBucket({ name: 'b' });
    emulator.deny('s3:GetBucketAcl', { bucket: 'a' });
    const denied = await clients.s3.send(new GetBucketAclCommand({ Bucket: 'a' })).catch((caught) => caught);
    expect(denied.name).toBe('AccessDenied');
    await clients.s3.send(new GetBucketAclCommand({ Bucket: 'b' }));
    expect(emulator.callCount('s3:GetBucketAcl')).toBe(2);
    emulator.deny('iam:GenerateCredentialReport');
    const iamDenied = await clients.iam
      .send(new GenerateCredentialReportCommand({}))
      .catch((caught) => caught);
    expect(iamDenied.name).toBe('AccessDenied');
    expect(iamDenied.message).toContain('is not authorized to perform: iam:GenerateCredentialReport');
    expect(emulator.callCounts()).toEqual({ 'iam:GenerateCredentialReport': 1, 's3:GetBucketAcl': 2 });
  });

  it('throttles a given number of times (Throttling for IAM, SlowDown for S3), which the SDK retries', async () => {
    emulator.account().addUser({ name: 'alice' });
    emulator.account().addBucket({ name: 'a' });
    emulator.throttle('iam:ListUsers', { times: 1 });
    emulator.throttle('s3:GetBucketAcl', { times: 1 });
    const once = await clients.iam.send(new ListUsersCommand({})).catch((caught) => caught);
    expect(once.name).toBe('Throttling');
    expect(once.$metadata.httpStatusCode).toBe(400);
    const slow = await clients.s3.send(new GetBucketAclCommand({ Bucket: 'a' })).catch((caught) => caught);
    expect(slow.name).toBe('SlowDown');
    expect(slow.$metadata.httpStatusCode).toBe(503);
    emulator.throttle('iam:ListUsers', { times: 1 });
    const retrying = sdkClients(emulator, { maxAttempts: 2 });
    expect((await retrying.iam.send(new ListUsersCommand({}))).Users).toHaveLength(1);
    expect(emulator.callCount('iam:ListUsers')).toBe(3);
  });

  it('rejects unknown and expired keys with the services’ own codes', async () => {
    const stranger = sdkClients(emulator, {
      credentials: { accessKeyId: 'AKIANOBODY', secretAccessKey: 'x' },
    });
    expect((await stranger.sts.send(new GetCallerIdentityCommand({})).catch((caught) => caught)).name).toBe(
      'InvalidClientTokenId',
    );
    emulator.account().addBucket({ name: 'a' });
    expect(
      (await stranger.s3.send(new GetBucketAclCommand({ Bucket: 'a' })).catch((caught) => caught)).name,
    ).toBe('InvalidAccessKeyId');
    emulator.expireCredentials(emulator.credentials.accessKeyId);
    expect((await clients.sts.send(new GetCallerIdentityCommand({})).catch((caught) => caught)).name).toBe(
      'ExpiredToken',
    );
    expect(
      (await clients.s3.send(new GetBucketAclCommand({ Bucket: 'a' })).catch((caught) => caught)).name,
    ).toBe('ExpiredToken');
  });
});
