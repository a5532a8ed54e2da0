import { formatDuration } from '@chatops/core';
import type { TestBot, TestMessage } from '@chatops/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AwsEmulator, startAwsEmulator } from '../src/emulator/index.js';
import { awsBot } from './support/bot.js';

let emulator: AwsEmulator;
let bot: TestBot | undefined;

beforeEach(async () => {
  emulator = await startAwsEmulator();
  const account = emulator.account();
  account.addUser({
    name: 'alice',
    password: true,
    passwordLastUsed: new Date('2024-06-01T10:00:00Z'),
    createdAt: new Date('2023-01-01T00:00:00Z'),
    tags: { email: 'alice@example.com' },
  });
  account.addUser({ name: 'ci-bot', accessKeys: 1 });
  account.addUser({ name: 'dave', password: true });
  account.addUser({ name: 'carol', password: true, mfa: true });
});

afterEach(async () => {
  await bot?.close();
  bot = undefined;
  await emulator.close();
});

function latest(message: TestMessage): TestMessage {
  return bot!.messages.find((candidate) => candidate.ref.id === message.ref.id)!;
}

describe('aws iam no-mfa', () => {
  it('lists users without MFA from the credential report in a few calls', async () => {
    emulator.credentialReportPolls = 3;
    bot = await awsBot(emulator);
    const [reply] = await bot.say('bob', 'aws iam no-mfa', { channel: 'ops' });
    expect(reply!.card.title).toBe('IAM users without MFA · default (123456789012)');
    expect(reply!.text).toContain('3 of 4 users have no MFA (2 can sign in to the console).');
    expect(reply!.card.table?.rows.map((row) => row.slice(0, 3))).toEqual([
      ['alice', 'yes', '2024-06-01'],
      ['dave', 'yes', 'never'],
      ['ci-bot', 'no', '-'],
    ]);
    expect(reply!.card.table?.rows[0]?.[3]).toMatch(/^\d+ d$/);
    expect(reply!.card.footer).toContain('From the credential report of');
    expect(reply!.card.actions.map((action) => action.label)).toEqual([
      'Notify alice',
      'Notify dave',
      'Notify ci-bot',
      'Notify all (3)',
    ]);
    expect(emulator.callCount('iam:GenerateCredentialReport')).toBe(4);
    expect(emulator.callCount('iam:GetCredentialReport')).toBe(1);
    expect(emulator.callCount('iam:ListMFADevices')).toBe(0);
  });

  it('keeps only console users with --console-only and flags a root account without MFA', async () => {
    emulator.account().rootMfa = false;
    bot = await awsBot(emulator);
    const [reply] = await bot.say('bob', 'aws iam no-mfa --console-only');
    expect(reply!.card.table?.rows.map((row) => row[0])).toEqual(['root account', 'alice', 'dave']);
    expect(reply!.text).toContain('2 of 4 users have a console password and no MFA.');
    expect(reply!.text).toContain('The root account has no MFA: secure it first.');
    expect(reply!.card.actions.map((action) => action.label)).not.toContain('Notify root account');
  });

  it('falls back to ListUsers and per-user calls when the report is denied, and says why', async () => {
    emulator.deny('iam:GenerateCredentialReport');
    bot = await awsBot(emulator);
    const [reply] = await bot.say('bob', 'aws iam no-mfa');
    expect(reply!.text).toContain(
      'Checked user by user: Account default needs iam:GenerateCredentialReport (AccessDenied on GenerateCredentialReport).',
    );
    expect(reply!.card.table?.rows.map((row) => row.slice(0, 2))).toEqual([
      ['alice', 'yes'],
      ['dave', 'yes'],
      ['ci-bot', 'no'],
    ]);
    expect(emulator.callCount('iam:ListMFADevices')).toBe(4);
    expect(emulator.callCount('iam:GetLoginProfile')).toBe(3);
  });

  it('names every permission when neither the report nor the per-user calls are allowed', async () => {
    emulator.deny('iam:GetCredentialReport');
    emulator.deny('iam:ListUsers');
    bot = await awsBot(emulator);
    const [reply] = await bot.say('bob', 'aws iam no-mfa');
    expect(reply!.text).toContain(
      'Account default needs iam:GenerateCredentialReport and iam:GetCredentialReport (or, slower, iam:ListUsers, iam:ListMFADevices and iam:GetLoginProfile; AccessDenied on ListUsers).',
    );
  });
});

describe('Notify buttons', () => {
  it('needs a rule: bob is denied', async () => {
    bot = await awsBot(emulator);
    const [reply] = await bot.say('bob', 'aws iam no-mfa', { channel: 'ops' });
    await bot.click(reply!, 'Notify alice', 'bob');
    expect(bot.lastResult?.status).toBe('denied');
    expect(
      bot.messages.some(
        (message) => message.conversation.name === '@alice@example.com' && message.conversation.kind === 'dm',
      ),
    ).toBe(false);
  });

  it('re-checks MFA live, DMs the person found through the email tag, and updates the list', async () => {
    bot = await awsBot(emulator);
    const [reply] = await bot.say('bob', 'aws iam no-mfa', { channel: 'ops' });
    await bot.click(reply!, 'Notify alice', 'alice');
    const dm = bot.messages.find(
      (message) => message.conversation.name === '@alice@example.com' && message.conversation.kind === 'dm',
    );
    expect(dm?.card.title).toBe('Please turn on MFA for your AWS user');
    expect(dm?.text).toContain('The IAM user alice in AWS account default (123456789012) has no MFA device');
    expect(dm?.text).toContain('Requested by @alice.');
    const list = latest(reply!);
    expect(list.text).toContain('alice: notified (DM @alice@example.com) by @alice');
    expect(list.card.table?.rows[0]?.[4]).toBe('notified by @alice');
    expect(list.card.actions.map((action) => action.label)).not.toContain('Notify alice');
    expect(emulator.callCount('iam:ListMFADevices')).toBe(1);
  });

  it('uses the configured mapping, and does not nag again within the cooldown', async () => {
    bot = await awsBot(emulator, { notify: { users: { dave: '@dave.smith' }, cooldown: '3d' } });
    const [first] = await bot.say('bob', 'aws iam no-mfa', { channel: 'ops' });
    await bot.click(first!, 'Notify dave', 'alice');
    expect(
      bot.messages.filter(
        (message) => message.conversation.name === '@dave.smith' && message.conversation.kind === 'dm',
      ),
    ).toHaveLength(1);
    const [second] = await bot.say('bob', 'aws iam no-mfa', { channel: 'ops' });
    await bot.click(second!, 'Notify dave', 'alice');
    expect(
      bot.messages.filter(
        (message) => message.conversation.name === '@dave.smith' && message.conversation.kind === 'dm',
      ),
    ).toHaveLength(1);
    expect(latest(second!).text).toContain(
      `dave: already notified within ${formatDuration(3 * 24 * 60 * 60 * 1000)}; not notified again`,
    );
  });

  it('does not notify someone who turned MFA on since the report', async () => {
    bot = await awsBot(emulator);
    const [reply] = await bot.say('bob', 'aws iam no-mfa', { channel: 'ops' });
    emulator.account().enableMfa('alice');
    await bot.click(reply!, 'Notify alice', 'alice');
    expect(
      bot.messages.some(
        (message) => message.conversation.name === '@alice@example.com' && message.conversation.kind === 'dm',
      ),
    ).toBe(false);
    expect(latest(reply!).text).toContain('alice: has turned on MFA since the check; not notified');
  });

  it('posts to the route for people without a handle, or says what is missing', async () => {
    bot = await awsBot(emulator);
    const [reply] = await bot.say('bob', 'aws iam no-mfa', { channel: 'ops' });
    await bot.click(reply!, 'Notify dave', 'alice');
    expect(latest(reply!).text).toContain(
      'dave: no chat handle known (add notify.users.dave or an email tag); not notified',
    );
    await bot.close();

    bot = await awsBot(
      emulator,
      { notify: { route: 'security' } },
      {
        auth: { roles: { sre: ['shell:alice'] }, rules: [{ allow: 'aws.iam.notify*', roles: ['sre'] }] },
        notifications: { security: { shell: '#security' } },
      },
    );
    const [again] = await bot.say('bob', 'aws iam no-mfa', { channel: 'ops' });
    await bot.click(again!, 'Notify dave', 'alice');
    const posted = bot.messages.find((message) => message.conversation.id === 'security');
    expect(posted?.text).toContain('Chat user: unknown (no mapping or email tag)');
    expect(latest(again!).text).toContain('dave: notified (route security) by @alice');
  });

  it('notifies everyone listed with "Notify all" and reports who could not be reached', async () => {
    bot = await awsBot(emulator, { notify: { users: { 'ci-bot': '#ci-owners' } } });
    const [reply] = await bot.say('bob', 'aws iam no-mfa', { channel: 'ops' });
    await bot.click(reply!, 'Notify all (3)', 'alice');
    expect(
      bot.messages
        .filter((message) => message.card.title === 'Please turn on MFA for your AWS user')
        .map((message) => message.conversation.name)
        .sort(),
    ).toEqual(['@alice@example.com', 'ci-owners']);
    const list = latest(reply!);
    expect(list.text).toContain('2 users notified by @alice');
    expect(list.text).toContain('dave: no chat handle known');
    expect(list.card.actions.map((action) => action.label)).toEqual(['Notify dave']);
  });
});
