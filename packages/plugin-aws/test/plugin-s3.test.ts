import type { TestBot } from '@chatops/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AwsEmulator, startAwsEmulator } from '../src/emulator/index.js';
import { awsBot } from './support/bot.js';

const PUBLIC_POLICY = { Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject' }] };
const ALL_ON = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

let emulator: AwsEmulator;
let bot: TestBot | undefined;

beforeEach(async () => {
  emulator = await startAwsEmulator();
  const account = emulator.account();
  account.addBucket({ name: 'web', acl: 'public-read' });
  account.addBucket({ name: 'downloads', region: 'eu-west-1', policy: PUBLIC_POLICY });
  account.addBucket({ name: 'secret', publicAccessBlock: ALL_ON });
  account.addBucket({ name: 'audit', acl: 'public-read' });
  emulator.deny('s3:GetBucketAcl', { bucket: 'audit' });
});

afterEach(async () => {
  await bot?.close();
  bot = undefined;
  await emulator.close();
});

describe('aws s3 public', () => {
  it('answers a card with the public and unknown buckets, why, and Block buttons', async () => {
    bot = await awsBot(emulator);
    const [reply] = await bot.say('bob', 'aws s3 public', { channel: 'ops' });
    expect(bot.lastResult?.status).toBe('ok');
    const card = reply!.card;
    expect(card.title).toBe('Public S3 buckets · default (123456789012)');
    expect(card.status).toBe('danger');
    expect(card.text).toContain('2 public, 1 unknown, of 4 buckets.');
    expect(card.table?.rows).toEqual([
      ['downloads', 'eu-west-1', 'public', 'bucket policy is public'],
      ['web', 'us-east-1', 'public', 'ACL grants READ to AllUsers'],
      ['audit', 'us-east-1', 'unknown', 'AccessDenied on GetBucketAcl'],
    ]);
    expect(card.actions.map((action) => action.label)).toEqual([
      'Block public access: downloads',
      'Block public access: web',
      'Block all listed (2)',
    ]);
    expect(card.actions.every((action) => action.effect === 'write' && action.confirm)).toBe(true);
  });

  it('denies the Block button without a rule and leaves the bucket alone', async () => {
    bot = await awsBot(emulator);
    const [reply] = await bot.say('bob', 'aws s3 public', { channel: 'ops' });
    await bot.click(reply!, 'Block public access: web', 'bob');
    expect(bot.lastResult?.status).toBe('denied');
    expect(emulator.bucket('web')?.publicAccessBlock).toBeUndefined();
    expect(emulator.callCount('s3:PutPublicAccessBlock')).toBe(0);
  });

  it('blocks, re-checks and updates the message with who did it when a rule allows', async () => {
    bot = await awsBot(emulator);
    const [reply] = await bot.say('bob', 'aws s3 public', { channel: 'ops' });
    await bot.click(reply!, 'Block public access: web', 'alice');
    expect(bot.lastResult?.status).toBe('ok');
    expect(emulator.bucket('web')?.publicAccessBlock).toEqual(ALL_ON);
    const updated = bot.messages.find((message) => message.ref.id === reply!.ref.id)!;
    expect(updated.text).toContain('web: public access blocked by @alice');
    expect(updated.card.table?.rows).toContainEqual(['web', 'us-east-1', 'blocked by @alice', '-']);
    expect(updated.card.actions.map((action) => action.label)).toEqual(['Block public access: downloads']);
    expect(
      bot.audit.some(
        (record) => record.target === 'aws.s3.block-public-access' && record.principal === 'shell:alice',
      ),
    ).toBe(true);
  });

  it('blocks every listed bucket with "Block all listed", each in its own region', async () => {
    bot = await awsBot(emulator);
    const [reply] = await bot.say('bob', 'aws s3 public', { channel: 'ops' });
    await bot.click(reply!, 'Block all listed (2)', 'alice');
    expect(emulator.bucket('web')?.publicAccessBlock).toEqual(ALL_ON);
    expect(emulator.bucket('downloads')?.publicAccessBlock).toEqual(ALL_ON);
    expect(emulator.bucket('audit')?.publicAccessBlock).toBeUndefined();
    expect(emulator.redirects).toBe(0);
    const updated = bot.messages.find((message) => message.ref.id === reply!.ref.id)!;
    expect(updated.text).toContain('2 buckets: public access blocked by @alice');
    expect(updated.card.status).toBe('warn');
    expect(updated.card.actions).toEqual([]);
  });

  it('asks for approval on "Block all listed" when the rule requires it', async () => {
    bot = await awsBot(
      emulator,
      {},
      {
        auth: {
          roles: { sre: ['shell:alice'], admin: ['shell:carol'] },
          rules: [
            { allow: 'aws.s3.block-public-access', roles: ['sre'] },
            {
              allow: 'aws.s3.block-public-access-all',
              roles: ['sre'],
              approval: { roles: ['admin'], count: 1 },
            },
          ],
        },
      },
    );
    const [reply] = await bot.say('bob', 'aws s3 public', { channel: 'ops' });
    const [approval] = await bot.click(reply!, 'Block all listed (2)', 'alice');
    expect(bot.lastResult?.status).toBe('pending');
    expect(emulator.callCount('s3:PutPublicAccessBlock')).toBe(0);
    await bot.click(approval!, 'Approve', 'carol');
    expect(emulator.bucket('web')?.publicAccessBlock).toEqual(ALL_ON);
    expect(emulator.bucket('downloads')?.publicAccessBlock).toEqual(ALL_ON);
  });

  it('reports a denied PutPublicAccessBlock in one sentence', async () => {
    emulator.deny('s3:PutPublicAccessBlock');
    bot = await awsBot(emulator);
    const [reply] = await bot.say('bob', 'aws s3 public', { channel: 'ops' });
    const after = await bot.click(reply!, 'Block public access: web', 'alice');
    const text = after.map((message) => message.text).join('\n');
    expect(text).toContain(
      'Account default needs s3:PutBucketPublicAccessBlock (AccessDenied on PutPublicAccessBlock).',
    );
    expect(text).not.toMatch(/\n\s+at /);
  });

  it('shows progress on large accounts, then replaces it with the result; long lists come as a file', async () => {
    for (let index = 0; index < 20; index += 1)
      emulator.account().addBucket({ name: `open-${index}`, acl: 'authenticated-read' });
    bot = await awsBot(emulator, {
      s3: { progressAfter: 10, progressInterval: 0, tableRows: 5 },
      concurrency: 2,
    });
    const replies = await bot.say('bob', 'aws s3 public', { channel: 'ops' });
    expect(replies).toHaveLength(1);
    const message = replies[0]!;
    expect(message.updates).toBeGreaterThan(1);
    expect(message.card.title).toBe('Public S3 buckets · default (123456789012)');
    expect(message.card.table?.rows).toHaveLength(5);
    expect(message.card.file?.name).toBe('public-buckets-default.csv');
    expect(message.card.file?.content.split('\n').filter(Boolean)).toHaveLength(24);
    expect(message.card.footer).toContain('Showing 5 of 23');
  });

  it('blocks a bucket by name with `aws s3 block`, finding its region', async () => {
    bot = await awsBot(emulator);
    const [reply] = await bot.say('alice', 'aws s3 block downloads', { channel: 'ops' });
    expect(reply!.text).toContain('downloads: public access blocked by @alice');
    expect(emulator.bucket('downloads')?.publicAccessBlock).toEqual(ALL_ON);
    const [missing] = await bot.say('alice', 'aws s3 block nope', { channel: 'ops' });
    expect(missing!.text).toContain('No bucket nope in account default.');
  });

  it('says so when account-level Block Public Access covers everything', async () => {
    emulator.account().setPublicAccessBlock({ IgnorePublicAcls: true, RestrictPublicBuckets: true });
    bot = await awsBot(emulator);
    const [reply] = await bot.say('bob', 'aws s3 public');
    expect(reply!.card.status).toBe('ok');
    expect(reply!.text).toContain('No bucket can be public: account-level Block Public Access');
  });
});
