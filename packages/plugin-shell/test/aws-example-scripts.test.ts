import { createTestBot, type TestBot } from '@chatops/core/testing';
import { type AwsEmulator, startAwsEmulator } from '@chatops/plugin-aws/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import shellPlugin from '../src/index.js';
import { exampleScript } from './example-path.js';
import { auth } from './shell-bot.js';

// The aws CLI is slow to start (about a second per call on a busy machine): generous timeouts.
const SLOW = 60_000;

let emulator: AwsEmulator;
let bot: TestBot;

beforeAll(async () => {
  emulator = await startAwsEmulator({ credentialReportPolls: 0 });
  const account = emulator.account();
  account.addBucket({
    name: 'open-assets',
    policy: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::open-assets/*' },
      ],
    },
  });
  account.addBucket({ name: 'private-logs' });
  account.addUser({ name: 'alice', password: true });
  account.addUser({ name: 'bob' });
  account.addUser({ name: 'carol', password: true, mfa: true });

  // What an operator would put in `env` (with the secret from the environment, not the file).
  const env = {
    AWS_ENDPOINT_URL: emulator.endpoint,
    AWS_ACCESS_KEY_ID: emulator.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: emulator.credentials.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_MAX_ATTEMPTS: '1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
  const bucket = { name: 'bucket', pattern: '[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]' };
  bot = await createTestBot({
    plugins: [
      [
        shellPlugin,
        {
          scripts: {
            'list-public-buckets': {
              description: 'Public S3 buckets',
              command: exampleScript('list-public-buckets.sh'),
              env,
              timeout: '2m',
              effect: 'read',
            },
            'block-public-access': {
              description: 'Blocks public access to a bucket',
              command: exampleScript('block-public-access.sh'),
              params: [bucket],
              env,
              effect: 'write',
            },
            'users-without-mfa': {
              description: 'IAM users without MFA',
              command: exampleScript('users-without-mfa.sh'),
              env,
              timeout: '2m',
              effect: 'read',
            },
          },
          progress: { after: '1h' },
        },
      ],
    ],
    config: {
      auth: { ...auth, rules: [...auth.rules, { allow: 'shell.run.block-public-access', roles: ['ops'] }] },
    },
  });
}, SLOW);

afterAll(async () => {
  await bot?.close();
  await emulator?.close();
});

describe('the aws-cli example scripts, against a local AWS emulator', () => {
  it(
    'list-public-buckets finds the public bucket and its button blocks public access',
    async () => {
      const [reply] = await bot.say('dave', 'run list-public-buckets', { channel: 'ops' });
      const { card } = reply!;
      expect(card.title).toBe('Public S3 buckets: 1');
      expect(card.status).toBe('danger');
      expect(card.table?.rows).toEqual([['open-assets', 'public', 'bucket policy']]);
      expect(card.code).toContain('private-logs: private');
      expect(card.code).not.toContain(emulator.credentials.secretAccessKey);

      const after = await bot.click(reply!, 'Block public access: open-assets', 'alice');
      const blocked = after.find((message) => message.card.title === 'block-public-access finished');
      expect(blocked?.card.code).toContain('RestrictPublicBuckets = true');
      expect(emulator.bucket('open-assets')?.publicAccessBlock).toMatchObject({
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      });
    },
    SLOW,
  );

  it(
    'users-without-mfa lists users without MFA, console users first',
    async () => {
      const [reply] = await bot.say('dave', 'run users-without-mfa');
      const { card } = reply!;
      expect(card.title).toBe('IAM users without MFA: 2');
      expect(card.status).toBe('danger');
      expect(card.table?.rows).toEqual([
        ['alice', 'yes', 'no MFA'],
        ['bob', 'no', 'no MFA'],
      ]);
      expect(card.actions.map((action) => action.label)).toEqual(['Check again']);
    },
    SLOW,
  );
});
