import { afterEach, describe, expect, it } from 'vitest';
import type { ChatopsConfigInput } from '../src/index.js';
import { createTestBot, type TestBot } from '../src/testing/index.js';
import { createOpsPlugin } from './fixtures/security-ops-plugin.js';

const bots: TestBot[] = [];
afterEach(async () => {
  await Promise.all(bots.splice(0).map((bot) => bot.close()));
});

async function opsBot(auth: ChatopsConfigInput['auth'] = {}) {
  const ops = createOpsPlugin();
  const bot = await createTestBot({ plugins: [ops.plugin], config: { auth } });
  bots.push(bot);
  return { bot, calls: ops.calls };
}

function decisionsOf(bot: TestBot) {
  return bot.audit.filter((record) => record.event === 'decision');
}

describe('default policy', () => {
  it('denies a write command no rule grants, privately, naming why, and audits it', async () => {
    const { bot, calls } = await opsBot();
    const replies = await bot.say('alice', 'restart uat', { channel: 'ops' });

    expect(calls).toHaveLength(0);
    expect(bot.lastResult?.status).toBe('denied');
    expect(replies).toHaveLength(1);
    expect(replies[0]!.private).toBe(true);
    expect(replies[0]!.to).toBe('alice');
    expect(replies[0]!.text).toContain('ops.restart is a write permission and no rule grants it');
    expect(decisionsOf(bot)).toEqual([
      expect.objectContaining({
        principal: 'shell:alice',
        target: 'restart',
        permission: 'ops.restart',
        effect: 'write',
        decision: 'denied',
        reason: 'ops.restart is a write permission and no rule grants it',
      }),
    ]);
    expect(bot.audit.some((record) => record.event === 'outcome')).toBe(false);
  });

  it('allows a read command to anyone who can talk to the bot', async () => {
    const { bot, calls } = await opsBot();
    const replies = await bot.say('mallory', 'health uat');

    expect(calls).toEqual([expect.objectContaining({ target: 'health', user: 'shell:mallory' })]);
    expect(replies[0]!.text).toContain('uat is degraded');
    expect(decisionsOf(bot).map((record) => record.decision)).toEqual(['allowed']);
  });

  it('denies read commands too when auth.defaults tightens read, unless a rule grants them', async () => {
    const { bot, calls } = await opsBot({
      defaults: { read: 'deny' },
      roles: { oncall: ['shell:alice'] },
      rules: [{ allow: 'ops.health', roles: ['oncall'] }],
    });

    const denied = await bot.say('bob', 'health uat');
    expect(denied[0]!.private).toBe(true);
    expect(denied[0]!.text).toContain('needs role oncall');
    expect(calls).toHaveLength(0);

    const other = await bot.say('alice', 'inspect');
    expect(other[0]!.text).toContain('ops.inspect is a read permission and no rule grants it');
    expect(calls).toHaveLength(0);

    await bot.say('alice', 'health uat');
    expect(calls).toEqual([expect.objectContaining({ target: 'health', user: 'shell:alice' })]);
  });

  it('allows writes everywhere when auth.defaults opens write', async () => {
    const { bot, calls } = await opsBot({ defaults: { write: 'allow' } });
    await bot.say('bob', 'restart uat');
    expect(calls).toEqual([expect.objectContaining({ target: 'restart', user: 'shell:bob' })]);
  });
});

describe('rule conditions', () => {
  it('grants a write to the principals of a role only', async () => {
    const { bot, calls } = await opsBot({
      roles: { sre: ['shell:alice'] },
      rules: [{ allow: 'ops.*', roles: ['sre'] }],
    });

    const allowed = await bot.say('alice', 'restart uat');
    expect(allowed[0]!.text).toBe('Restarted uat');
    expect(allowed[0]!.private).toBe(false);

    const denied = await bot.say('bob', 'restart uat');
    expect(denied[0]!.private).toBe(true);
    expect(denied[0]!.text).toContain('needs role sre');

    expect(calls.map((call) => call.user)).toEqual(['shell:alice']);
    expect(decisionsOf(bot).map((record) => [record.principal, record.decision])).toEqual([
      ['shell:alice', 'allowed'],
      ['shell:bob', 'denied'],
    ]);
  });

  it('limits a rule to a channel: allowed in #ops, refused in another channel and in a DM', async () => {
    const { bot, calls } = await opsBot({
      roles: { admin: ['shell:alice'] },
      rules: [{ allow: 'ops.restart', roles: ['admin'], channels: ['#ops'] }],
    });

    await bot.say('alice', 'restart uat', { channel: 'ops' });
    expect(calls).toHaveLength(1);

    const elsewhere = await bot.say('alice', 'restart uat', { channel: 'dev' });
    expect(elsewhere[0]!.private).toBe(true);
    expect(elsewhere[0]!.text).toContain('allowed only in #ops');

    const dm = await bot.say('alice', 'restart uat');
    expect(dm[0]!.text).toContain('allowed only in #ops');

    const bob = await bot.say('bob', 'restart uat', { channel: 'ops' });
    expect(bob[0]!.private).toBe(true);
    expect(bob[0]!.text).toContain('needs role admin in #ops');

    expect(calls).toHaveLength(1);
    const denials = bot.audit.filter((record) => record.decision === 'denied');
    expect(denials.map((record) => [record.conversation.name, record.reason])).toEqual([
      ['dev', 'allowed only in #ops'],
      ['dm-alice', 'allowed only in #ops'],
      ['ops', 'needs role admin in #ops'],
    ]);
  });

  it('limits a rule to argument values', async () => {
    const { bot, calls } = await opsBot({
      roles: { sre: ['shell:alice'] },
      rules: [{ allow: 'ops.restart', roles: ['sre'], args: { target: ['uat', 'staging'] } }],
    });

    await bot.say('alice', 'restart uat');
    await bot.say('alice', 'restart STAGING');
    const prod = await bot.say('alice', 'restart prod');

    expect(calls.map((call) => call.args['target'])).toEqual(['uat', 'staging']);
    expect(prod[0]!.private).toBe(true);
    expect(prod[0]!.text).toContain('target must be one of uat, staging');
    expect(bot.audit.at(-1)).toMatchObject({ decision: 'denied', args: { target: 'prod' } });
  });

  it('grants through any one of several rules for the same permission', async () => {
    const { bot, calls } = await opsBot({
      roles: { admin: ['shell:alice'], sre: ['shell:bob'] },
      rules: [
        { allow: 'ops.restart', roles: ['admin'] },
        { allow: 'ops.restart', roles: ['sre'], args: { target: ['uat'] } },
      ],
    });

    await bot.say('alice', 'restart prod');
    await bot.say('bob', 'restart uat');
    const refused = await bot.say('bob', 'restart prod');

    expect(calls.map((call) => [call.user, call.args['target']])).toEqual([
      ['shell:alice', 'prod'],
      ['shell:bob', 'uat'],
    ]);
    expect(refused[0]!.private).toBe(true);
  });
});

describe('principals', () => {
  it('matches an email principal when the message carries the email', async () => {
    const { bot, calls } = await opsBot({
      roles: { admin: ['email:alice@example.com'] },
      rules: [{ allow: 'ops.restart', roles: ['admin'] }],
    });
    const receive = (id: string, email: string) =>
      bot.adapter.host!.receive({
        type: 'message',
        platform: 'shell',
        user: { id, name: id, email },
        conversation: { id: 'ops', name: 'ops', kind: 'channel' },
        text: 'restart uat',
        addressed: true,
      });

    expect((await receive('U1', 'Alice@Example.com')).status).toBe('ok');
    expect((await receive('U2', 'eve@example.com')).status).toBe('denied');
    expect(calls.map((call) => call.user)).toEqual(['shell:U1']);
    expect(bot.audit.find((record) => record.decision === 'allowed')).toMatchObject({
      principal: 'shell:U1',
      email: 'Alice@Example.com',
    });
  });

  it('matches an email principal when the adapter looks the email up, and caches it', async () => {
    const { bot, calls } = await opsBot({
      roles: { admin: ['email:*@example.com'] },
      rules: [{ allow: 'ops.restart', roles: ['admin'] }],
    });
    const lookups: string[] = [];
    bot.adapter.lookupUser = async (id) => {
      lookups.push(id);
      return {
        id,
        name: id,
        ...(id === 'alice' ? { email: 'alice@example.com' } : { email: 'bob@elsewhere.org' }),
      };
    };

    await bot.say('alice', 'restart uat');
    await bot.say('alice', 'restart staging');
    const bob = await bot.say('bob', 'restart uat');

    expect(calls.map((call) => call.user)).toEqual(['shell:alice', 'shell:alice']);
    expect(bob[0]!.text).toContain('needs role admin');
    expect(lookups).toEqual(['alice', 'bob']);
  });

  it('matches a platform wildcard (shell:*) but not another platform', async () => {
    const { bot, calls } = await opsBot({
      roles: { shell: ['shell:*'], slackers: ['slack:*'] },
      rules: [
        { allow: 'ops.restart', roles: ['shell'] },
        { allow: 'ops.deploy', roles: ['slackers'] },
      ],
    });

    await bot.say('anyone', 'restart uat');
    const deploy = await bot.say('anyone', 'deploy uat');

    expect(calls.map((call) => call.target)).toEqual(['restart']);
    expect(deploy[0]!.text).toContain('needs role slackers');
  });
});

describe('messages from bots', () => {
  const fromBot = (bot: TestBot) =>
    bot.adapter.host!.receive({
      type: 'message',
      platform: 'shell',
      user: { id: 'deploybot', name: 'deploybot', isBot: true },
      conversation: { id: 'ops', name: 'ops', kind: 'channel' },
      text: 'health uat',
      addressed: true,
    });

  it('ignores other bots by default: no reply, no handler, nothing to audit', async () => {
    const { bot, calls } = await opsBot();
    expect((await fromBot(bot)).status).toBe('ignored');
    expect(calls).toHaveLength(0);
    expect(bot.messages).toHaveLength(0);
  });

  it('answers bots when auth.allowBots is set, still through the policy', async () => {
    const { bot, calls } = await opsBot({ allowBots: true });
    expect((await fromBot(bot)).status).toBe('ok');
    expect(calls).toEqual([expect.objectContaining({ user: 'shell:deploybot' })]);
    expect(bot.audit.map((record) => record.decision ?? record.outcome)).toEqual(['allowed', 'ok']);
  });
});

describe('help and whoami', () => {
  it('help lists only what the caller may run and says how many commands are hidden', async () => {
    const { bot } = await opsBot({
      roles: { sre: ['shell:alice'] },
      rules: [{ allow: 'ops.*', roles: ['sre'] }],
    });

    const [forAlice] = await bot.say('alice', 'help');
    expect(forAlice!.text).toContain('restart <target>');
    expect(forAlice!.text).toContain('deploy <target>');
    expect(forAlice!.text).toContain('health <target>');
    expect(forAlice!.text).not.toContain('inspect');
    // audit: only a rule grants core.audit.read.
    expect(forAlice!.text).not.toContain('audit');
    expect(forAlice!.text).toContain('1 more command(s) hidden');

    // ops.* names every ops command, so even the read command health is only for sre.
    const [forBob] = await bot.say('bob', 'help');
    expect(forBob!.text).toContain('help [command...]');
    expect(forBob!.text).not.toContain('restart <target>');
    expect(forBob!.text).not.toContain('deploy <target>');
    expect(forBob!.text).not.toContain('health <target>');
    expect(forBob!.text).toContain('4 more command(s) hidden');

    const [usage] = await bot.say('bob', 'help restart');
    expect(usage!.private).toBe(true);
    expect(usage!.text).toContain('No command "restart" that you may run');
  });

  it('whoami shows the principal, email and roles', async () => {
    const { bot } = await opsBot({
      roles: { sre: ['shell:alice'], oncall: ['email:alice@example.com'] },
      rules: [{ allow: 'ops.restart', roles: ['sre'] }],
    });
    bot.adapter.lookupUser = async (id) => ({ id, name: id, email: `${id}@example.com` });

    const [alice] = await bot.say('alice', 'whoami');
    expect(alice!.card.fields).toEqual(
      expect.arrayContaining([
        { label: 'Principal', value: 'shell:alice', short: true },
        { label: 'Email', value: 'alice@example.com', short: true },
        { label: 'Roles', value: 'sre, oncall', short: true },
      ]),
    );
    expect(alice!.text).toContain('ops.restart');

    const [bob] = await bot.say('bob', 'whoami');
    expect(bob!.card.fields).toEqual(
      expect.arrayContaining([{ label: 'Roles', value: 'none', short: true }]),
    );
    expect(bob!.text).not.toContain('ops.restart');
  });
});
