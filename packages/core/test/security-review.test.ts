import { afterEach, describe, expect, it } from 'vitest';
import type { ChatopsConfigInput, Conversation, DispatchResult, Principal } from '../src/index.js';
import { definePlugin } from '../src/index.js';
import { createTestBot, type TestBot, type TestMessage } from '../src/testing/index.js';
import { createOpsPlugin } from './fixtures/security-ops-plugin.js';

const bots: TestBot[] = [];
afterEach(async () => {
  await Promise.all(bots.splice(0).map((bot) => bot.close()));
});

async function opsBot(
  auth: ChatopsConfigInput['auth'] = {},
  extra: Parameters<typeof createTestBot>[0] = {},
) {
  const ops = createOpsPlugin();
  const bot = await createTestBot({
    ...extra,
    plugins: [ops.plugin, ...(extra.plugins ?? [])],
    config: { auth },
  });
  bots.push(bot);
  return { bot, calls: ops.calls };
}

/** Says `text` as `user` in a conversation whose id and name differ; resolves with what was posted. */
async function sayIn(
  bot: TestBot,
  user: string,
  text: string,
  conversation: Conversation,
): Promise<{ result: DispatchResult; replies: TestMessage[] }> {
  const from = bot.adapter.events.length;
  const result = await bot.adapter.host!.receive({
    type: 'message',
    platform: 'shell',
    user: { id: user, name: user },
    conversation,
    text,
    addressed: true,
  });
  return { result, replies: [...new Set(bot.adapter.events.slice(from).map((event) => event.message))] };
}

describe('channel rules: names and ids never stand in for each other (finding 1)', () => {
  const sre = { sre: ['shell:alice'] };
  const ops: Conversation = { id: 'C000000008', name: '#ops', kind: 'channel' };
  const namedLikeTheId: Conversation = { id: 'C999999999', name: '#c000000008', kind: 'channel' };

  it('refuses a channel *named* like the id a rule allows, without telling the id', async () => {
    const { bot, calls } = await opsBot({
      roles: sre,
      rules: [{ allow: 'ops.restart', roles: ['sre'], channels: ['C000000008'] }],
    });
    expect((await sayIn(bot, 'alice', 'restart uat', ops)).result.status).toBe('ok');
    const { result, replies } = await sayIn(bot, 'alice', 'restart uat', namedLikeTheId);
    expect(result.status).toBe('denied');
    expect(replies[0]!.text).toContain('allowed only in one specific channel');
    expect(replies[0]!.text).not.toMatch(/c000000008/i);
    expect(calls).toHaveLength(1);
  });

  it('matches `#name` by name only (case-insensitively), never a channel whose id is that name', async () => {
    const { bot, calls } = await opsBot({
      roles: sre,
      rules: [{ allow: 'ops.restart', roles: ['sre'], channels: ['#ops'] }],
    });
    expect(
      (await sayIn(bot, 'alice', 'restart uat', { id: 'C1', name: '#OPS', kind: 'channel' })).result.status,
    ).toBe('ok');
    const idLikeTheName = await sayIn(bot, 'alice', 'restart uat', {
      id: 'ops',
      name: '#random',
      kind: 'channel',
    });
    expect(idLikeTheName.result.status).toBe('denied');
    expect(idLikeTheName.replies[0]!.text).toContain('allowed only in #ops');
    const dmNamedOps = await sayIn(bot, 'alice', 'restart uat', { id: 'D1', name: 'ops', kind: 'dm' });
    expect(dmNamedOps.result.status).toBe('denied');
    expect(calls).toHaveLength(1);
  });

  it('compares a bare id exactly (no case folding)', async () => {
    const { bot } = await opsBot({
      roles: sre,
      rules: [{ allow: 'ops.restart', roles: ['sre'], channels: ['C000000008'] }],
    });
    const lower = await sayIn(bot, 'alice', 'restart uat', { id: 'c000000008', kind: 'channel' });
    expect(lower.result.status).toBe('denied');
  });

  it('names the channels the way the rule wrote them, ids left out', async () => {
    const { bot } = await opsBot({
      roles: sre,
      rules: [{ allow: 'ops.restart', roles: ['sre'], channels: ['#ops', 'C000000008', 'dm'] }],
    });
    const { replies } = await sayIn(bot, 'alice', 'restart uat', namedLikeTheId);
    expect(replies[0]!.text).toContain('allowed only in #ops or a direct message or one other channel');
    expect(bot.audit.at(-1)?.reason).toBe('allowed only in #ops or a direct message or one other channel');
  });
});

describe('channel rules on a platform with teams (finding 1)', () => {
  const teamsAdapter = (homeTeams: string[]) => async (bot: TestBot) => {
    bot.adapter.homeTeams = () => homeTeams;
  };

  it('`#name` matches only in the home team; `#team/name` names one team exactly', async () => {
    const { bot, calls } = await opsBot({
      roles: { sre: ['shell:alice'] },
      rules: [
        { allow: 'ops.restart', roles: ['sre'], channels: ['#ops'] },
        { allow: 'ops.deploy', roles: ['sre'], channels: ['#acme/ops'] },
      ],
    });
    await teamsAdapter(['Acme'])(bot);
    const acmeOps: Conversation = { id: 'X1', name: 'ops', team: 'acme', kind: 'channel' };
    const otherOps: Conversation = { id: 'X2', name: 'ops', team: 'evil', kind: 'channel' };

    expect((await sayIn(bot, 'alice', 'restart uat', acmeOps)).result.status).toBe('ok');
    const elsewhere = await sayIn(bot, 'alice', 'restart uat', otherOps);
    expect(elsewhere.result.status).toBe('denied');
    expect(elsewhere.replies[0]!.text).toContain('allowed only in #ops');

    expect((await sayIn(bot, 'alice', 'deploy uat', acmeOps)).result.status).toBe('ok');
    expect((await sayIn(bot, 'alice', 'deploy uat', otherOps)).result.status).toBe('denied');
    expect(calls.map((call) => call.target)).toEqual(['restart', 'deploy']);
  });

  it('refuses `#name` in any team when the adapter names no home team', async () => {
    const { bot } = await opsBot({
      roles: { sre: ['shell:alice'] },
      rules: [{ allow: 'ops.restart', roles: ['sre'], channels: ['#ops'] }],
    });
    await teamsAdapter([])(bot);
    const result = await sayIn(bot, 'alice', 'restart uat', {
      id: 'X1',
      name: 'ops',
      team: 'acme',
      kind: 'channel',
    });
    expect(result.result.status).toBe('denied');
  });
});

describe('a handler cannot raise its own privileges (finding 2)', () => {
  function escalating(results: { error?: string; nested?: DispatchResult }) {
    return definePlugin({
      name: 'sneaky',
      setup(bot) {
        bot.command({
          name: 'sneaky',
          effect: 'read',
          summary: 'tries to run as admin',
          run: async (ctx) => {
            try {
              (ctx as { user: Principal }).user = { ...ctx.user, roles: ['admin'] };
            } catch (error) {
              results.error = (error as Error).message;
            }
            for (const forge of [
              () => (ctx.user.roles as string[]).push('admin'),
              () => Object.assign(ctx.incoming.user, { id: 'root' }),
              () => Object.assign(ctx.conversation, { id: 'ops', name: 'ops' }),
            ]) {
              try {
                forge();
              } catch {
                // frozen as well
              }
            }
            results.nested = await ctx.execute('restart prod');
            return 'done';
          },
        });
      },
    });
  }

  it('keeps ctx.user frozen; execute re-resolves the roles, is denied, and is audited with its parent', async () => {
    const results: { error?: string; nested?: DispatchResult } = {};
    const { bot, calls } = await opsBot(
      {
        roles: { admin: ['shell:root'] },
        rules: [
          { allow: 'ops.restart', roles: ['admin'] },
          { allow: 'ops.restart', roles: ['*'], channels: ['ops'] },
        ],
      },
      { plugins: [escalating(results)] },
    );
    await bot.say('mallory', 'sneaky');

    expect(results.error).toMatch(/read only|read-only|Cannot assign/);
    expect(results.nested?.status).toBe('denied');
    expect(calls).toHaveLength(0);
    const parent = bot.audit.find((record) => record.target === 'sneaky')!;
    const nested = bot.audit.filter((record) => record.target === 'restart');
    expect(nested).toEqual([
      expect.objectContaining({ principal: 'shell:mallory', decision: 'denied', parent: parent.id }),
    ]);
    expect(parent.parent).toBeUndefined();
  });

  it('runs an allowed nested command as the caller, audited with the parent correlation id', async () => {
    const results: { error?: string; nested?: DispatchResult } = {};
    const { bot, calls } = await opsBot(
      { roles: { admin: ['shell:root'] }, rules: [{ allow: 'ops.restart', roles: ['admin'] }] },
      { plugins: [escalating(results)] },
    );
    await bot.say('root', 'sneaky');
    expect(results.nested?.status).toBe('ok');
    expect(calls).toEqual([expect.objectContaining({ target: 'restart', user: 'shell:root' })]);
    const parent = bot.audit.find((record) => record.target === 'sneaky')!;
    expect(bot.audit.filter((record) => record.target === 'restart').map((record) => record.parent)).toEqual([
      parent.id,
      parent.id,
    ]);
  });
});

describe('unknown commands and usage errors go through the pipeline (finding 3)', () => {
  it('rate limits and audits a flood of unknown commands', async () => {
    const { bot } = await createTestBot({ config: { auth: { rateLimit: { burst: 2, perMinute: 1 } } } }).then(
      (created) => {
        bots.push(created);
        return { bot: created };
      },
    );
    for (let index = 0; index < 4; index++) await bot.say('mallory', `nosuch${index}`);
    expect(bot.audit.map((record) => record.decision)).toEqual([
      'unknown',
      'unknown',
      'rate-limited',
      'rate-limited',
    ]);
    expect(bot.audit[0]).toMatchObject({ principal: 'shell:mallory', reason: 'unknown command "nosuch0"' });
  });

  it('audits a usage error', async () => {
    const { bot } = await opsBot();
    const [reply] = await bot.say('alice', 'health');
    expect(bot.lastResult?.status).toBe('usage');
    expect(reply!.text).toContain('missing <target>');
    expect(bot.audit.at(-1)).toMatchObject({
      decision: 'usage',
      target: 'health',
      reason: 'missing <target>',
    });
  });

  it('suggests only commands the caller may run', async () => {
    const { bot } = await opsBot({ rules: [{ allow: 'core.audit.read', roles: ['auditor'] }] });
    const [reply] = await bot.say('mallory', 'audt');
    expect(reply!.text).toContain('Unknown command "audt"');
    expect(reply!.text).not.toContain('`audit`');
    const [hidden] = await bot.say('mallory', 'inspectt');
    expect(hidden!.text).not.toContain('inspect`');
  });

  it('answers a usage error on a command the caller may not run as an unknown command', async () => {
    const { bot } = await opsBot({ rules: [{ allow: 'core.audit.read', roles: ['auditor'] }] });
    const [reply] = await bot.say('mallory', 'audit --secret-option');
    expect(reply!.text).toBe('Unknown command "audit". Try `help`.');
    expect(reply!.text).not.toContain('Usage');
    expect(bot.lastResult?.status).toBe('unknown');
  });
});

describe('listeners (finding 4)', () => {
  it('refuses a listener without an effect at load', async () => {
    const noEffect = definePlugin({
      name: 'tables',
      setup(bot) {
        // @ts-expect-error effect is required
        bot.hear(/drop tables/, { run: () => 'dropped' });
      },
    });
    const bot = await createTestBot({ plugins: [noEffect], allowPluginFailures: true });
    bots.push(bot);
    expect(bot.robot.plugins.find((plugin) => plugin.name === 'tables')).toMatchObject({
      loaded: false,
      error: expect.stringContaining('needs an effect'),
    });
    // @ts-expect-error a bare function is no longer a listener spec
    expect(() => bot.robot.router.addListener('tables', /x/, () => 'x', false)).toThrow(/needs a spec/);
  });

  it('denies a write listener no rule grants', async () => {
    const drop = definePlugin({
      name: 'tables',
      setup(bot) {
        bot.hear(/drop tables/, { effect: 'write', run: () => 'dropped' });
      },
    });
    const bot = await createTestBot({ plugins: [drop] });
    bots.push(bot);
    await bot.say('mallory', 'please drop tables', { channel: 'ops', ambient: true });
    expect(bot.audit.at(-1)).toMatchObject({
      decision: 'denied',
      permission: 'tables.listener.1',
      reason: 'tables.listener.1 is a write permission and no rule grants it',
    });
  });

  it('numbers default listener ids per plugin, whatever the load order', async () => {
    const plugin = (name: string) =>
      definePlugin({
        name,
        setup(bot) {
          bot.hear(new RegExp(`${name}-one`), { effect: 'read', run: () => 'one' });
          bot.respond(new RegExp(`${name}-two`), { effect: 'read', run: () => 'two' });
        },
      });
    const idsWith = async (order: string[]) => {
      const bot = await createTestBot({ plugins: order.map(plugin) });
      bots.push(bot);
      await bot.say('alice', 'a-two');
      await bot.say('alice', 'b-one');
      return bot.audit.filter((record) => record.decision === 'allowed').map((record) => record.target);
    };
    expect(await idsWith(['a', 'b'])).toEqual(['a.listener.2', 'b.listener.1']);
    expect(await idsWith(['b', 'a'])).toEqual(['a.listener.2', 'b.listener.1']);
  });
});

describe('the audit trail is private (finding 5)', () => {
  it('denies `audit` unless a rule grants core.audit.read', async () => {
    const { bot } = await opsBot();
    await bot.say('alice', 'health uat');
    const [reply] = await bot.say('mallory', 'audit', { channel: 'ops' });
    expect(bot.lastResult?.status).toBe('denied');
    expect(reply!.private).toBe(true);
    expect(reply!.text).toContain('core.audit.read');
  });

  it('answers a granted `audit` privately', async () => {
    const bot = await createTestBot({
      config: {
        audit: { enabled: true, fsync: false },
        auth: {
          roles: { auditor: ['shell:carol'] },
          rules: [{ allow: 'core.audit.read', roles: ['auditor'] }],
        },
      },
    });
    bots.push(bot);
    await bot.say('alice', 'whoami', { channel: 'ops' });
    const replies = await bot.say('carol', 'audit', { channel: 'ops' });
    expect(bot.lastResult?.status).toBe('ok');
    expect(replies).toHaveLength(1);
    expect(replies[0]!.private).toBe(true);
    expect(replies[0]!.text).toContain('shell:alice');
  });
});

describe('email lookups that fail (finding 6)', () => {
  const approvalAuth: ChatopsConfigInput['auth'] = {
    roles: { dev: ['shell:*'], admin: ['shell:alice-admin', 'shell:carol'] },
    rules: [{ allow: 'ops.deploy', roles: ['dev'], approval: { roles: ['admin'] } }],
  };

  it('is not taken as "no email": a second account of the requester cannot approve once lookups work', async () => {
    const ops = createOpsPlugin();
    const bot = await createTestBot({ plugins: [ops.plugin], config: { auth: approvalAuth } });
    bots.push(bot);
    let down = true;
    bot.adapter.lookupUser = async (id) => {
      if (down) throw new Error('directory unavailable');
      return { id, name: id, email: 'alice@example.com' };
    };
    await bot.say('alice-work', 'deploy uat', { channel: 'ops' });
    const card = bot.messages.at(-1)!;
    down = false;
    const [refusal] = await bot.click(card, 'Approve', 'alice-admin');
    expect(ops.calls).toHaveLength(0);
    expect(refusal!.text).toContain("the requester's email could not be looked up");
  });

  it("refuses the approval, with a reason, while the approver's email cannot be established", async () => {
    const ops = createOpsPlugin();
    const bot = await createTestBot({ plugins: [ops.plugin], config: { auth: approvalAuth } });
    bots.push(bot);
    bot.adapter.lookupUser = async (id) => {
      if (id === 'carol') throw new Error('directory unavailable');
      return { id, name: id, email: `${id}@example.com` };
    };
    await bot.say('alice-work', 'deploy uat', { channel: 'ops' });
    const card = bot.messages.at(-1)!;
    const [refusal] = await bot.click(card, 'Approve', 'carol');
    expect(ops.calls).toHaveLength(0);
    expect(refusal!.private).toBe(true);
    expect(refusal!.text).toContain("the approver's email could not be looked up");
    const denials = bot.audit.filter((record) => record.decision === 'denied');
    expect(denials.at(-1)).toMatchObject({
      principal: 'shell:carol',
      reason: expect.stringContaining('email'),
    });
  });
});

describe('allow-lists hand the handler the authorized spelling (finding 7)', () => {
  it('passes the value as the rule writes it', async () => {
    const { bot, calls } = await opsBot({
      roles: { sre: ['shell:alice'] },
      rules: [{ allow: 'ops.restart', roles: ['sre'], args: { target: ['uat'] } }],
    });
    await bot.say('alice', 'restart UAT');
    expect(calls.map((call) => call.args['target'])).toEqual(['uat']);
    expect(bot.audit.find((record) => record.decision === 'allowed')?.args).toEqual({ target: 'uat' });
  });
});

describe('auth.defaults (finding 8)', () => {
  it('with only `defaults: { read: deny }`, a write no rule grants is still denied', async () => {
    const { bot, calls } = await opsBot({ defaults: { read: 'deny' } });
    await bot.say('alice', 'restart uat');
    expect(bot.lastResult?.status).toBe('denied');
    expect(calls).toHaveLength(0);
  });
});

describe('argument-limited rules name every rule that grants the permission (issue 20, item 11)', () => {
  it('lists the values of every rule, saying which need approval', async () => {
    const { bot } = await opsBot({
      roles: { sre: ['shell:alice'] },
      rules: [
        { allow: 'ops.restart', roles: ['sre'], args: { target: ['uat', 'staging'] } },
        { allow: 'ops.restart', roles: ['sre'], args: { target: ['prod'] }, approval: { roles: ['admin'] } },
      ],
    });
    const [reply] = await bot.say('alice', 'restart dev');
    expect(reply!.text).toContain('target must be one of uat, staging, prod (prod after approval)');
  });
});
