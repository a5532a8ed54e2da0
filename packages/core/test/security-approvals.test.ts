import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ChatopsConfigInput, definePlugin, type Store } from '../src/index.js';
import { MemoryStore, SqliteStore } from '../src/internal.js';
import { createTestBot, snapshot, type TestBot, type TestMessage } from '../src/testing/index.js';
import { createOpsPlugin } from './fixtures/security-ops-plugin.js';

const SECRET = 'approval-test-secret-0123456789';
const MINUTE = 60 * 1000;

const bots: TestBot[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(bots.splice(0).map((bot) => bot.close()));
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Anyone may ask to deploy; `count` admins (carol, dave, erin) must approve within `ttl`. */
function deployNeedsApproval(count = 1, ttl = '15m'): ChatopsConfigInput['auth'] {
  return {
    roles: { dev: ['shell:*'], admin: ['shell:carol', 'shell:dave', 'shell:erin'] },
    rules: [{ allow: 'ops.deploy', roles: ['dev'], approval: { roles: ['admin'], count, ttl } }],
  };
}

interface Clock {
  time: number;
}

async function approvalBot(
  options: {
    count?: number;
    ttl?: string;
    clock?: Clock;
    store?: Store;
    secret?: string;
    maxPending?: number;
  } = {},
) {
  const clock = options.clock ?? { time: Date.parse('2030-01-01T00:00:00Z') };
  const ops = createOpsPlugin();
  const bot = await createTestBot({
    plugins: [ops.plugin],
    config: {
      auth: {
        ...deployNeedsApproval(options.count, options.ttl),
        ...(options.maxPending ? { maxPendingApprovals: options.maxPending } : {}),
      },
      ...(options.secret ? { secret: options.secret } : {}),
    },
    now: () => clock.time,
    ...(options.store ? { store: options.store } : {}),
  });
  bots.push(bot);
  return { bot, calls: ops.calls, clock };
}

/** alice asks to deploy uat in #ops; resolves with the approval card. */
async function request(bot: TestBot): Promise<TestMessage> {
  const replies = await bot.say('alice', 'deploy uat', { channel: 'ops' });
  expect(bot.lastResult?.status).toBe('pending');
  expect(replies).toHaveLength(1);
  return replies[0]!;
}

function decisions(bot: TestBot) {
  return bot.audit.filter((record) => record.event === 'decision').map((record) => record.decision);
}

describe('approval requests', () => {
  it('turns an allowed invocation into a pending request with an approval card', async () => {
    const { bot, calls } = await approvalBot();
    const card = await request(bot);

    expect(calls).toHaveLength(0);
    expect(card.private).toBe(false);
    expect(card.conversation.name).toBe('ops');
    expect(card.card.title).toBe('Approval needed');
    expect(card.text).toContain('alice wants to run: deploy uat');
    expect(card.text).toContain('Requested by: alice (shell:alice)');
    expect(card.text).toContain('Approvers: 1 of role admin');
    expect(card.text).toContain('Expires in: 15m');
    expect(card.card.actions.map((action) => action.label)).toEqual(['Approve', 'Deny']);
    expect(bot.audit).toEqual([
      expect.objectContaining({
        principal: 'shell:alice',
        target: 'deploy',
        decision: 'approval-requested',
        reason: 'needs 1 approval(s) by admin',
      }),
    ]);
  });

  it('does not show a secret argument on the approval card posted to the channel', async () => {
    const { bot, calls } = await approvalBot();
    const token = 'xoxb-1234567890-0987654321-AbCdEfGhIjKl';
    const [card] = await bot.say('alice', `deploy uat --token ${token}`, { channel: 'ops' });

    expect(card!.private).toBe(false);
    expect(card!.text).toContain('alice wants to run: deploy uat --token [redacted]');
    expect(card!.text).not.toContain(token);

    await bot.click(card!, 'Approve', 'carol');
    expect(calls[0]!.args['token']).toBe(token);
    expect(card!.text).not.toContain(token);
  });

  it('refuses self-approval and non-approvers; an approver runs it as the requester', async () => {
    const { bot, calls } = await approvalBot();
    const card = await request(bot);

    const self = await bot.click(card, 'Approve', 'alice');
    expect(self[0]!.private).toBe(true);
    expect(self[0]!.text).toContain('You cannot approve your own request.');

    const bob = await bot.click(card, 'Approve', 'bob');
    expect(bob[0]!.private).toBe(true);
    expect(bob[0]!.text).toContain('Only admin may approve this.');
    expect(calls).toHaveLength(0);
    expect(card.updates).toBe(0);

    const carol = await bot.click(card, 'Approve', 'carol');
    expect(calls).toEqual([
      expect.objectContaining({ target: 'deploy', user: 'shell:alice', args: { target: 'uat' } }),
    ]);
    const result = carol.find((message) => message !== card);
    expect(result?.text).toBe('Deployed to uat as alice');
    expect(result?.conversation.name).toBe('ops');
    expect(card.card.title).toBe('Approval granted');
    expect(card.text).toContain('Approved by @carol. deploy uat: done.');
    expect(card.card.actions).toEqual([]);

    const run = bot.audit.filter((record) => record.id === calls[0]!.id);
    expect(run).toEqual([
      expect.objectContaining({
        decision: 'allowed',
        principal: 'shell:alice',
        approver: 'shell:carol',
        requester: 'shell:alice',
      }),
      expect.objectContaining({
        outcome: 'ok',
        principal: 'shell:alice',
        approver: 'shell:carol',
        requester: 'shell:alice',
      }),
    ]);
    expect(bot.audit.find((record) => record.decision === 'approved')).toMatchObject({
      principal: 'shell:alice',
      approver: 'shell:carol',
      requester: 'shell:alice',
    });
    expect(
      bot.audit.find((record) => record.principal === 'shell:bob' && record.decision === 'denied'),
    ).toMatchObject({
      target: 'core.approval.approve',
      reason: 'approver needs role admin',
    });
  });

  it('answers and audits self-approval as a refusal (denied, with its reason), not as an error', async () => {
    const { bot, calls } = await approvalBot();
    const card = await request(bot);

    const [answer] = await bot.click(card, 'Approve', 'alice');

    expect(answer!.private).toBe(true);
    expect(answer!.text).toContain('You cannot approve your own request.');
    expect(bot.lastResult?.status).toBe('denied');
    expect(calls).toHaveLength(0);
    const click = bot.audit.filter((record) => record.target === 'core.approval.approve');
    expect(click.map((record) => record.decision ?? record.outcome)).toEqual(['allowed', 'denied']);
    expect(click[1]).toMatchObject({
      event: 'decision',
      principal: 'shell:alice',
      decision: 'denied',
      reason: 'the requester cannot approve their own request',
    });
    expect(bot.audit.some((record) => record.outcome === 'error')).toBe(false);
  });

  it('shows the time left in whole units: 30d, not thousands of minutes', async () => {
    const { bot } = await approvalBot({ ttl: '30d' });
    const card = await request(bot);
    expect(card.text).toContain('Expires in: 30d');
    expect(card.text).not.toMatch(/\d+m \d+s/);
  });

  it('refuses a second approval once the request is closed', async () => {
    const { bot, calls } = await approvalBot();
    const card = await request(bot);
    const original = snapshot(card);
    await bot.click(original, 'Approve', 'carol');
    const again = await bot.click(original, 'Approve', 'dave');

    expect(calls).toHaveLength(1);
    expect(again[0]!.private).toBe(true);
    expect(again[0]!.text).toContain('This request was already approved.');
  });

  it('runs the command once when two approvers click at the same time', async () => {
    const { bot, calls } = await approvalBot();
    const card = await request(bot);
    const original = snapshot(card);

    const [carol, dave] = await Promise.all([
      bot.click(original, 'Approve', 'carol'),
      bot.click(original, 'Approve', 'dave'),
    ]);

    expect(calls).toHaveLength(1);
    const loser = [...carol, ...dave].find((message) => message.private);
    expect(loser?.text).toMatch(/This request was already (closed by someone else|approved)\./);
    expect(bot.audit.filter((record) => record.decision === 'approved')).toHaveLength(1);
    expect(bot.messages.filter((message) => message.text === 'Deployed to uat as alice')).toHaveLength(1);
  });

  it('counts both approvals when two approvers of a count-2 request click at once on two replicas', async () => {
    const store = new MemoryStore();
    const first = await approvalBot({ count: 2, store, secret: SECRET });
    const second = await approvalBot({ count: 2, store, secret: SECRET });
    const card = await request(first.bot);
    second.bot.adapter.messages.push(card);

    await Promise.all([
      first.bot.click({ ...card }, 'Approve', 'carol'),
      second.bot.click({ ...card }, 'Approve', 'dave'),
    ]);

    expect([...first.calls, ...second.calls]).toEqual([expect.objectContaining({ user: 'shell:alice' })]);
    const approvers = [...first.bot.audit, ...second.bot.audit]
      .filter((record) => record.decision === 'approved')
      .map((record) => record.approver)
      .sort();
    expect(approvers).toEqual(['shell:carol', 'shell:dave']);
  });

  it('refuses a request beyond the pending cap per principal, and frees a slot once one is decided', async () => {
    const { bot, calls } = await approvalBot({ maxPending: 2 });
    const first = await request(bot);
    await request(bot);
    const refused = await bot.say('alice', 'deploy uat', { channel: 'ops' });
    expect(bot.lastResult?.status).toBe('denied');
    expect(refused).toHaveLength(1);
    expect(refused[0]!.private).toBe(true);
    expect(refused[0]!.text).toContain(
      'Approval not requested: you already have 2 approval requests waiting; wait for them to be decided or to expire.',
    );
    expect(bot.audit.at(-1)).toMatchObject({ decision: 'denied', principal: 'shell:alice' });
    await bot.say('bob', 'deploy uat', { channel: 'ops' });
    expect(bot.lastResult?.status).toBe('pending');

    await bot.click(first, 'Deny', 'carol');
    await request(bot);
    expect(calls).toHaveLength(0);
  });

  it('needs two different approvers when count is 2', async () => {
    const { bot, calls } = await approvalBot({ count: 2 });
    const card = await request(bot);
    expect(card.text).toContain('Approvers: 2 of role admin');

    await bot.click(card, 'Approve', 'carol');
    expect(calls).toHaveLength(0);
    expect(card.text).toContain('Approved so far by @carol');
    expect(card.card.actions.map((action) => action.label)).toEqual(['Approve', 'Deny']);

    const twice = await bot.click(card, 'Approve', 'carol');
    expect(twice[0]!.private).toBe(true);
    expect(twice[0]!.text).toContain('You already approved this request.');
    expect(calls).toHaveLength(0);

    await bot.click(card, 'Approve', 'dave');
    expect(calls).toEqual([expect.objectContaining({ user: 'shell:alice' })]);
    expect(card.text).toContain('Approved by @carol, @dave');
    expect(
      bot.audit.filter((record) => record.decision === 'approved').map((record) => record.approver),
    ).toEqual(['shell:carol', 'shell:dave']);
  });

  it('closes the request when an approver denies it', async () => {
    const { bot, calls } = await approvalBot();
    const card = await request(bot);
    const original = snapshot(card);

    await bot.click(original, 'Deny', 'carol');
    expect(card.card.title).toBe('Approval denied');
    expect(card.text).toContain('Denied by @carol.');
    expect(card.card.actions).toEqual([]);

    const late = await bot.click(original, 'Approve', 'dave');
    expect(late[0]!.text).toContain('This request was already rejected.');
    expect(calls).toHaveLength(0);
    expect(bot.audit.find((record) => record.decision === 'rejected')).toMatchObject({
      principal: 'shell:alice',
      approver: 'shell:carol',
    });
  });

  it('lets the requester withdraw but not someone without the approver role', async () => {
    const { bot } = await approvalBot();
    const card = await request(bot);

    const bob = await bot.click(card, 'Deny', 'bob');
    expect(bob[0]!.text).toContain('Only admin (or the requester) may deny this.');
    expect(card.updates).toBe(0);

    await bot.click(card, 'Deny', 'alice');
    expect(card.text).toContain('Withdrawn by the requester.');
    expect(card.card.title).toBe('Request withdrawn');
  });
});

describe('who counts as the requester', () => {
  it('refuses an approval by the same person under another account with the same email', async () => {
    const ops = createOpsPlugin();
    const bot = await createTestBot({
      plugins: [ops.plugin],
      config: {
        auth: {
          roles: { dev: ['shell:*'], admin: ['email:*@example.com'] },
          rules: [{ allow: 'ops.deploy', roles: ['dev'], approval: { roles: ['admin'] } }],
        },
      },
    });
    bots.push(bot);
    const say = (id: string, email: string) =>
      bot.adapter.host!.receive({
        type: 'message',
        platform: 'shell',
        user: { id, name: id, email },
        conversation: { id: 'ops', name: 'ops', kind: 'channel' },
        text: 'deploy uat',
        addressed: true,
      });
    const click = (card: TestMessage, id: string, email: string) =>
      bot.adapter.host!.receive({
        type: 'action',
        platform: 'shell',
        user: { id, name: id, email },
        conversation: card.conversation,
        token: card.card.actions[0]!.token,
        message: card.ref,
      });

    await say('alice-work', 'alice@example.com');
    const card = bot.messages.at(-1)!;
    await click(card, 'alice-admin', 'Alice@Example.com');

    expect(ops.calls).toHaveLength(0);
    expect(bot.messages.at(-1)!.text).toContain('You cannot approve your own request.');

    await click(card, 'carol', 'carol@example.com');
    expect(ops.calls).toEqual([expect.objectContaining({ user: 'shell:alice-work' })]);
  });

  it("checks the requester's roles again when the request runs", async () => {
    const store = new MemoryStore();
    const first = await approvalBot({ store, secret: SECRET });
    const card = await request(first.bot);
    await first.bot.robot.stop();

    // After a restart with a policy that no longer lets alice deploy, approving must not run it.
    const ops = createOpsPlugin();
    const second = await createTestBot({
      plugins: [ops.plugin],
      store,
      config: {
        secret: SECRET,
        auth: {
          roles: { dev: ['shell:bob'], admin: ['shell:carol'] },
          rules: [{ allow: 'ops.deploy', roles: ['dev'], approval: { roles: ['admin'] } }],
        },
      },
    });
    bots.push(second);
    second.adapter.messages.push(card);
    await second.click(card, 'Approve', 'carol');

    expect(ops.calls).toHaveLength(0);
    expect(card.text).toContain('needs role dev');
    expect(
      second.audit.find(
        (record) =>
          record.target === 'deploy' &&
          record.event === 'decision' &&
          record.principal === 'shell:alice' &&
          record.decision === 'denied',
      ),
    ).toBeDefined();
  });
});

describe('a write button that needs approval', () => {
  it('turns the click into a request; once approved the action runs as the clicker and updates the card', async () => {
    const ops = createOpsPlugin();
    const bot = await createTestBot({
      plugins: [ops.plugin],
      config: {
        auth: {
          roles: { sre: ['shell:alice'], admin: ['shell:carol'] },
          rules: [{ allow: 'ops.restart', roles: ['sre'], approval: { roles: ['admin'] } }],
        },
      },
    });
    bots.push(bot);
    const [status] = await bot.say('bob', 'health uat', { channel: 'ops' });

    const [approval] = await bot.click(status!, 'Restart uat', 'alice');
    expect(approval!.card.title).toBe('Approval needed');
    expect(approval!.text).toContain('alice wants to run: ops.restart target=uat');
    expect(ops.calls.map((call) => call.target)).toEqual(['health']);

    await bot.click(approval!, 'Approve', 'carol');

    expect(ops.calls.at(-1)).toMatchObject({
      target: 'ops.restart',
      user: 'shell:alice',
      args: { target: 'uat' },
    });
    expect(status!.text).toContain('uat restarted');
    expect(approval!.text).toContain('Approved by @carol. ops.restart target=uat: done.');
  });
});

describe('expired approval requests', () => {
  it('says so when an approver clicks after the ttl, and runs nothing', async () => {
    const { bot, calls, clock } = await approvalBot();
    const card = await request(bot);
    const original = snapshot(card);
    clock.time += 15 * MINUTE;

    const late = await bot.click(original, 'Approve', 'carol');

    expect(calls).toHaveLength(0);
    expect(late.find((message) => message.private)?.text).toContain(
      'This request has expired. Ask for it again.',
    );
    expect(card.card.title).toBe('Approval request expired');
    expect(card.text).toContain('Expired without enough approvals.');
    expect(decisions(bot)).toContain('expired');
  });

  it('is closed by the core.approvals.expire job', async () => {
    const { bot, calls, clock } = await approvalBot();
    const card = await request(bot);
    const original = snapshot(card);

    await bot.runJob('core.approvals.expire');
    expect(card.updates).toBe(0);

    clock.time += 16 * MINUTE;
    const updated = await bot.runJob('core.approvals.expire');
    expect(updated).toEqual([card]);
    expect(card.card.title).toBe('Approval request expired');
    expect(bot.audit.at(-1)).toMatchObject({
      decision: 'expired',
      principal: 'shell:alice',
      target: 'deploy',
    });

    const late = await bot.click(original, 'Approve', 'carol');
    expect(late[0]!.text).toContain('This request was already expired.');
    expect(calls).toHaveLength(0);
  });
});

describe('approval of a regex listener', () => {
  it('runs the approved listener with its match, as the requester', async () => {
    const runs: { user: string; match: string | undefined }[] = [];
    const plugin = definePlugin({
      name: 'legacy',
      setup(bot) {
        bot.respond(/^rollback (\w+)$/i, {
          id: 'legacy.rollback',
          effect: 'write',
          run: (ctx) => {
            runs.push({ user: ctx.user.key, match: ctx.invocation.match?.[1] });
            return `rolled back ${ctx.invocation.match?.[1]}`;
          },
        });
      },
    });
    const bot = await createTestBot({
      plugins: [plugin],
      config: {
        auth: {
          roles: { dev: ['shell:*'], admin: ['shell:carol'] },
          rules: [{ allow: 'legacy.rollback', roles: ['dev'], approval: { roles: ['admin'], count: 1 } }],
        },
      },
    });
    bots.push(bot);
    const [card] = await bot.say('alice', 'rollback web', { channel: 'ops' });
    expect(bot.lastResult?.status).toBe('pending');
    const approved = await bot.click(card!, 'Approve', 'carol');
    expect(runs).toEqual([{ user: 'shell:alice', match: 'web' }]);
    expect(approved.map((message) => message.text)).toContain('rolled back web');
    expect(card!.card.title).toBe('Approval granted');
  });
});

describe('approval across a restart', () => {
  it('approves on a second bot sharing the store and secret a request made on the first', async () => {
    const store = new MemoryStore();
    const first = await approvalBot({ store, secret: SECRET });
    const card = await request(first.bot);
    await first.bot.robot.stop();

    const second = await approvalBot({ store, secret: SECRET });
    // The chat platform still shows the card after the restart.
    second.bot.adapter.messages.push(card);
    await second.bot.click(card, 'Approve', 'carol');

    expect(first.calls).toHaveLength(0);
    expect(second.calls).toEqual([expect.objectContaining({ target: 'deploy', user: 'shell:alice' })]);
    expect(card.text).toContain('Approved by @carol. deploy uat: done.');
    expect(
      second.bot.audit.find((record) => record.target === 'deploy' && record.decision === 'allowed'),
    ).toMatchObject({
      principal: 'shell:alice',
      approver: 'shell:carol',
    });
  });

  it('keeps requests in the SQLite store, and the generated secret with them, across a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'chatops-security-'));
    dirs.push(dir);
    const path = join(dir, 'state.db');
    const clock = { time: Date.parse('2030-01-01T00:00:00Z') };

    const first = await approvalBot({
      clock,
      store: await SqliteStore.open(path, { now: () => clock.time }),
    });
    const card = await request(first.bot);
    await first.bot.robot.stop();

    const second = await approvalBot({
      clock,
      store: await SqliteStore.open(path, { now: () => clock.time }),
    });
    second.bot.adapter.messages.push(card);
    const self = await second.bot.click(card, 'Approve', 'alice');
    expect(self[0]!.text).toContain('You cannot approve your own request.');
    await second.bot.click(card, 'Approve', 'dave');

    expect(second.calls).toEqual([expect.objectContaining({ user: 'shell:alice' })]);
  });

  it('refuses the buttons of a bot whose secret differs', async () => {
    const store = new MemoryStore();
    const first = await approvalBot({ store, secret: SECRET });
    const card = await request(first.bot);
    await first.bot.robot.stop();

    const second = await approvalBot({ store, secret: 'another-secret-9876543210abcdef' });
    const replies = await second.bot.click(card, 'Approve', 'carol');
    expect(replies[0]!.text).toContain('its signature does not match');
    expect(second.calls).toHaveLength(0);
  });
});
