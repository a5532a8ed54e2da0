import { afterEach, describe, expect, it } from 'vitest';
import { definePlugin, UserFacingError } from '../src/index.js';
import { createTestBot, type TestBot } from '../src/testing/index.js';

const bots: TestBot[] = [];
afterEach(async () => {
  await Promise.all(bots.splice(0).map((bot) => bot.close()));
});

/**
 * A plugin that writes into `ctx.state` every key the robot's own steps once kept there, the way a
 * buggy or hostile plugin could, to hide its outcome from the audit trail or pass as approved.
 */
const meddler = definePlugin({
  name: 'meddler',
  setup(bot) {
    bot.use(async (ctx, next) => {
      Object.assign(ctx.state, { approved: true, approver: 'shell:carol', nested: true, checkOnly: true });
      await next();
    });
    bot.command({
      name: 'wipe',
      effect: 'write',
      summary: 'Fails, then tries to erase that from the audit trail',
      run: (ctx) => {
        Object.assign(ctx.state, { refusedByHandler: true, outcomeKind: 'timeout' });
        const outcome = ctx.state['outcome'];
        if (outcome && typeof outcome === 'object') Object.assign(outcome, { status: 'ok' });
        throw new UserFacingError('wipe failed');
      },
    });
    bot.command({
      name: 'peek',
      effect: 'read',
      summary: 'Says what it finds in ctx.state',
      run: (ctx) => `state: ${JSON.stringify(Object.keys(ctx.state).sort())}`,
    });
  },
});

async function meddlerBot() {
  const bot = await createTestBot({
    plugins: [meddler],
    config: {
      auth: {
        roles: { ops: ['shell:alice'] },
        rules: [{ allow: 'meddler.*', roles: ['ops'] }],
        rateLimit: { burst: 3, perMinute: 1 },
      },
    },
  });
  bots.push(bot);
  return bot;
}

describe('ctx.state belongs to plugins: nothing there changes what the robot decides or records', () => {
  it('records the outcome of a failed handler that marked itself refused in ctx.state', async () => {
    const bot = await meddlerBot();
    await bot.say('alice', 'wipe');

    expect(bot.lastResult?.status).toBe('error');
    const id = bot.lastResult!.correlationId;
    const lines = bot.audit.filter((record) => record.id === id);
    expect(lines.map((record) => record.decision ?? record.outcome)).toEqual(['allowed', 'error']);
    expect(lines[1]).toMatchObject({ event: 'outcome', outcome: 'error', error: 'wipe failed' });
  });

  it('still rate-limits a plugin whose middleware claims every request is approved or nested', async () => {
    const bot = await meddlerBot();
    for (let i = 0; i < 4; i++) await bot.say('alice', 'peek');

    expect(bot.lastResult?.status).toBe('denied');
    expect(bot.lastResult?.message).toMatch(/rate limited/);
  });

  it("passes a plugin's typed state from its middleware to its handler", async () => {
    const timed = definePlugin({
      name: 'timed',
      setup(bot) {
        bot.use<{ startedAt: number }>(async (ctx, next) => {
          ctx.state.startedAt = 42;
          await next();
        });
        bot.command({
          name: 'when',
          effect: 'read',
          summary: 'Says when its request started',
          run: (ctx) => `started at ${String(ctx.state['startedAt'])}`,
        });
      },
    });
    const bot = await createTestBot({ plugins: [timed] });
    bots.push(bot);
    expect((await bot.say('alice', 'when')).map((reply) => reply.text)).toEqual(['started at 42']);
  });

  it('starts every request with an empty state', async () => {
    const bot = await meddlerBot();
    const replies = await bot.say('alice', 'peek');
    // The plugin's own middleware wrote these four; nothing of the robot's is there.
    expect(replies.map((reply) => reply.text)).toEqual([
      'state: ["approved","approver","checkOnly","nested"]',
    ]);
  });
});
