import { afterEach, describe, expect, it } from 'vitest';
import type { Middleware } from '../src/index.js';
import { createTestBot, type TestBot } from '../src/testing/index.js';
import { createOpsPlugin } from './fixtures/security-ops-plugin.js';

const bots: TestBot[] = [];
afterEach(async () => {
  await Promise.all(bots.splice(0).map((bot) => bot.close()));
});

/** What a plugin middleware saw of one request when it ran. */
interface Seen {
  target: string;
  user: string;
  roles: string[];
  /** Decisions already in the audit trail for this request. */
  audited: string[];
  approver?: unknown;
}

/**
 * alice is an sre (may restart in #ops), deploys need one admin's approval (carol), everyone else
 * has no write permission; two requests at once, then one more every 10 s.
 */
async function pipelineBot() {
  const seen: Seen[] = [];
  let bot!: TestBot;
  const recorder: Middleware = async (ctx, next) => {
    seen.push({
      target: ctx.invocation.name,
      user: ctx.user.key,
      roles: [...ctx.user.roles],
      audited: bot.audit
        .filter((record) => record.id === ctx.id)
        .map((record) => record.decision ?? record.event),
      approver: ctx.approvedBy?.key,
    });
    await next();
  };
  const ops = createOpsPlugin({ middleware: recorder });
  bot = await createTestBot({
    plugins: [ops.plugin],
    config: {
      auth: {
        roles: { sre: ['shell:alice'], dev: ['shell:*'], admin: ['shell:carol'] },
        rules: [
          { allow: 'ops.restart', roles: ['sre'], channels: ['#ops'] },
          { allow: 'ops.deploy', roles: ['dev'], approval: { roles: ['admin'] } },
        ],
        rateLimit: { burst: 2, perMinute: 6 },
      },
    },
    now: () => Date.parse('2030-01-01T00:00:00Z'),
  });
  bots.push(bot);
  return { bot, seen, calls: ops.calls };
}

describe('middleware order: plugin middleware runs after the built-ins', () => {
  it('sees an allowed request after identify, authorize and the audit decision', async () => {
    const { bot, seen, calls } = await pipelineBot();
    await bot.say('alice', 'restart uat', { channel: 'ops' });

    expect(seen).toEqual([
      {
        target: 'restart',
        user: 'shell:alice',
        roles: ['sre', 'dev'],
        audited: ['allowed'],
        approver: undefined,
      },
    ]);
    expect(calls).toHaveLength(1);
  });

  it('never sees a denied request', async () => {
    const { bot, seen } = await pipelineBot();
    await bot.say('alice', 'restart uat', { channel: 'dev' });
    await bot.say('bob', 'restart uat', { channel: 'ops' });

    expect(bot.audit.map((record) => record.decision)).toEqual(['denied', 'denied']);
    expect(seen).toEqual([]);
  });

  it('never sees a rate-limited request', async () => {
    const { bot, seen } = await pipelineBot();
    for (let i = 0; i < 3; i++) await bot.say('bob', 'health uat');

    expect(bot.audit.at(-1)?.decision).toBe('rate-limited');
    expect(seen.map((entry) => entry.target)).toEqual(['health', 'health']);
  });

  it('never sees a click with a refused token', async () => {
    const { bot, seen } = await pipelineBot();
    const [card] = await bot.say('alice', 'health uat', { channel: 'ops' });
    const forged = {
      ...card!,
      card: { ...card!.card, actions: [{ ...card!.card.actions[0]!, token: 'v1.x.y' }] },
    };
    await bot.click(forged, 0, 'alice');

    expect(seen.map((entry) => entry.target)).toEqual(['health']);
  });

  it('does not see a request waiting for approval, and sees it as the requester once approved', async () => {
    const { bot, seen, calls } = await pipelineBot();
    const [card] = await bot.say('bob', 'deploy uat', { channel: 'ops' });
    expect(seen).toEqual([]);

    await bot.click(card!, 'Approve', 'carol');

    expect(seen.map(({ target, user, approver, audited }) => ({ target, user, approver, audited }))).toEqual([
      { target: 'core.approval.approve', user: 'shell:carol', approver: undefined, audited: ['allowed'] },
      { target: 'deploy', user: 'shell:bob', approver: 'shell:carol', audited: ['allowed'] },
    ]);
    expect(calls.map((call) => call.user)).toEqual(['shell:bob']);
  });
});
