import { createTestBot, type TestBot } from '@chatops/core/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type AwsEmulator, startAwsEmulator } from '../src/emulator/index.js';
import awsPlugin, { awsConfigSchema } from '../src/index.js';
import { awsBot, emulatorConfig, SRE_AUTH } from './support/bot.js';

let emulator: AwsEmulator;
let bot: TestBot | undefined;

beforeEach(async () => {
  emulator = await startAwsEmulator();
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await bot?.close();
  bot = undefined;
  await emulator.close();
});

describe('accounts', () => {
  it('answers whoami for every account, reaching prod through AssumeRole with its external id', async () => {
    const prod = emulator.addAccount('210987654321');
    const role = prod.addRole({ name: 'chatops-audit', externalId: 'ext-1' });
    prod.addBucket({ name: 'prod-site', acl: 'public-read' });
    bot = await awsBot(emulator, {
      accounts: { dev: {}, prod: { roleArn: role.arn, externalId: 'ext-1' }, broken: { roleArn: role.arn } },
    });
    const [reply] = await bot.say('bob', 'aws whoami');
    expect(reply!.card.status).toBe('warn');
    expect(reply!.card.table?.rows).toEqual([
      ['dev', '123456789012', 'arn:aws:iam::123456789012:user/chatops', 'default credentials'],
      [
        'prod',
        '210987654321',
        'arn:aws:sts::210987654321:assumed-role/chatops-audit/chatops',
        `role ${role.arn}`,
      ],
      [
        'broken',
        '-',
        "Account broken: could not assume its role (AccessDenied): the bot's identity needs sts:AssumeRole on it and the role's trust policy must allow the bot (check externalId).",
        `role ${role.arn}`,
      ],
    ]);
    const [scan] = await bot.say('bob', 'aws s3 public --account prod');
    expect(scan!.card.title).toBe('Public S3 buckets · prod (210987654321)');
    expect(scan!.card.table?.rows.map((row) => row[0])).toEqual(['prod-site']);
  });

  it('answers an unknown account with the configured names', async () => {
    bot = await awsBot(emulator, { accounts: { dev: {}, prod: {} } });
    const [reply] = await bot.say('bob', 'aws s3 public --account staging');
    expect(bot.lastResult?.status).toBe('usage');
    expect(reply!.text).toContain('No AWS account "staging"; configured: dev, prod.');
  });

  it('says clearly that there are no credentials, without a stack trace', async () => {
    const missing = '/nonexistent/aws';
    vi.stubEnv('AWS_ACCESS_KEY_ID', '');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', '');
    vi.stubEnv('AWS_PROFILE', '');
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', `${missing}/credentials`);
    vi.stubEnv('AWS_CONFIG_FILE', `${missing}/config`);
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
    vi.stubEnv('AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', '');
    vi.stubEnv('AWS_CONTAINER_CREDENTIALS_FULL_URI', '');
    vi.stubEnv('AWS_WEB_IDENTITY_TOKEN_FILE', '');
    const { credentials: _none, ...config } = emulatorConfig(emulator);
    bot = await createTestBot({ plugins: [[awsPlugin, config]] });
    const [reply] = await bot.say('bob', 'aws whoami --account default');
    expect(reply!.text).toContain(
      'No AWS credentials for account default: set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run the bot with an instance or task role.',
    );
    expect(reply!.text).not.toMatch(/\n\s+at /);
    const [scan] = await bot.say('bob', 'aws s3 public');
    expect(scan!.text).toContain('No AWS credentials for account default');
  });

  it('says when the credentials have expired', async () => {
    bot = await awsBot(emulator);
    emulator.expireCredentials(emulator.credentials.accessKeyId);
    const [reply] = await bot.say('bob', 'aws iam no-mfa');
    expect(reply!.text).toContain('The AWS credentials for account default have expired (ExpiredToken)');
  });
});

describe('config', () => {
  it('rejects references to unknown accounts and a route-less route mode, naming the key', () => {
    const result = awsConfigSchema.safeParse({
      accounts: { dev: {} },
      defaultAccount: 'prod',
      notify: { via: 'route' },
      monitor: { every: '6h', notify: 'security', accounts: ['dev', 'qa'] },
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['defaultAccount', 'no account "prod" (accounts: dev)'],
      ['monitor.accounts.1', 'no account "qa" (accounts: dev)'],
      ['notify.route', 'required when notify.via is "route"'],
    ]);
    expect(
      awsConfigSchema.safeParse({ accounts: { prod: { roleArn: 'not-an-arn' } } }).error?.issues[0]?.path,
    ).toEqual(['accounts', 'prod', 'roleArn']);
  });

  it('fills defaults: one default account, concurrency 16', () => {
    const config = awsConfigSchema.parse({});
    expect(config.s3.buttons).toBe(5);
    expect(config.notify.cooldown).toBe(7 * 24 * 60 * 60 * 1000);
    expect(config.retry).toEqual({ maxAttempts: 3, mode: 'standard' });
  });
});

describe('monitor', () => {
  it('posts only what is new since the last scan, with its buttons', async () => {
    const account = emulator.account();
    account.addBucket({ name: 'web', acl: 'public-read' });
    account.addUser({ name: 'alice', password: true });
    bot = await awsBot(
      emulator,
      { monitor: { every: '6h', notify: 'security' } },
      { auth: SRE_AUTH, notifications: { security: { shell: '#security' } } },
    );
    const first = await bot.runJob('aws.monitor');
    expect(first.map((message) => message.card.title)).toEqual([
      'Newly public S3 buckets · default (123456789012)',
      'New IAM users without MFA · default (123456789012)',
    ]);
    expect(first[0]?.text).toContain('First scan');
    expect(first.every((message) => message.conversation.id === 'security')).toBe(true);

    expect(await bot.runJob('aws.monitor')).toEqual([]);

    account.addBucket({ name: 'new-site', acl: 'public-read' });
    account.addUser({ name: 'erin', password: true });
    emulator.account().credentialReport = undefined;
    const third = await bot.runJob('aws.monitor');
    expect(third.map((message) => message.card.table?.rows.map((row) => row[0]))).toEqual([
      ['new-site'],
      ['erin'],
    ]);
    expect(third[0]?.card.actions.map((action) => action.label)).toEqual(['Block public access: new-site']);
    await bot.click(third[0]!, 'Block public access: new-site', 'alice');
    expect(emulator.bucket('new-site')?.publicAccessBlock?.RestrictPublicBuckets).toBe(true);
  });

  it('reports a failing check once, not on every run', async () => {
    emulator.deny('s3:ListBuckets');
    bot = await awsBot(
      emulator,
      { monitor: { every: '6h', notify: 'security', checks: ['s3'] } },
      { notifications: { security: { shell: '#security' } } },
    );
    const first = await bot.runJob('aws.monitor');
    expect(first.map((message) => message.text)).toEqual([
      '[WARN] AWS s3 monitor · default\nAccount default needs s3:ListAllMyBuckets (AccessDenied on ListBuckets).',
    ]);
    expect(await bot.runJob('aws.monitor')).toEqual([]);
  });
});
