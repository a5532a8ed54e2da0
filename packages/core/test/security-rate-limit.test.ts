import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStore } from '../src/internal.js';
import { createTestBot, type TestBot } from '../src/testing/index.js';
import { createOpsPlugin } from './fixtures/security-ops-plugin.js';

const bots: TestBot[] = [];
afterEach(async () => {
  await Promise.all(bots.splice(0).map((bot) => bot.close()));
});

/** A bot whose rate limit is 3 at once, then one more every 10 seconds, on a clock the test moves. */
async function limitedBot() {
  let time = Date.parse('2030-01-01T00:00:00Z');
  const ops = createOpsPlugin();
  const bot = await createTestBot({
    plugins: [ops.plugin],
    config: { auth: { rateLimit: { burst: 3, perMinute: 6 } } },
    now: () => time,
  });
  bots.push(bot);
  return {
    bot,
    calls: ops.calls,
    advance: (milliseconds: number) => {
      time += milliseconds;
    },
  };
}

describe('rate limit per principal', () => {
  it('lets a burst through, then refuses privately and audits the refusal', async () => {
    const { bot, calls } = await limitedBot();
    for (const target of ['a', 'b', 'c']) await bot.say('alice', `health ${target}`);
    expect(calls).toHaveLength(3);

    const refused = await bot.say('alice', 'health d');
    expect(calls).toHaveLength(3);
    expect(bot.lastResult?.status).toBe('denied');
    expect(refused).toHaveLength(1);
    expect(refused[0]!.private).toBe(true);
    expect(refused[0]!.text).toContain('Slow down: too many requests. Try again in 10s.');
    expect(bot.audit.at(-1)).toMatchObject({
      event: 'decision',
      principal: 'shell:alice',
      target: 'health',
      decision: 'rate-limited',
      reason: 'rate limited: try again in 10s',
    });
  });

  it('keeps a bucket per principal: one user flooding does not block another', async () => {
    const { bot, calls } = await limitedBot();
    for (let i = 0; i < 5; i++) await bot.say('alice', 'health uat');
    await bot.say('bob', 'health uat');

    expect(calls.map((call) => call.user)).toEqual([
      'shell:alice',
      'shell:alice',
      'shell:alice',
      'shell:bob',
    ]);
    expect(bot.audit.filter((record) => record.decision === 'rate-limited')).toHaveLength(2);
  });

  it('applies one bucket per principal across replicas sharing a store', async () => {
    const store = new MemoryStore();
    const time = Date.parse('2030-01-01T00:00:00Z');
    const replicas = await Promise.all(
      [0, 1, 2].map(async () => {
        const ops = createOpsPlugin();
        const bot = await createTestBot({
          plugins: [ops.plugin],
          config: { auth: { rateLimit: { burst: 3, perMinute: 6 } } },
          now: () => time,
          store,
        });
        bots.push(bot);
        return { bot, calls: ops.calls };
      }),
    );
    await Promise.all(replicas.map(({ bot }) => bot.say('alice', 'health uat')));
    await Promise.all(replicas.map(({ bot }) => bot.say('alice', 'health uat')));
    expect(replicas.reduce((sum, { calls }) => sum + calls.length, 0)).toBe(3);
    const refused = replicas
      .flatMap(({ bot }) => bot.audit)
      .filter((record) => record.decision === 'rate-limited');
    expect(refused).toHaveLength(3);
  });

  it('refills over time on the bot clock', async () => {
    const { bot, calls, advance } = await limitedBot();
    for (let i = 0; i < 4; i++) await bot.say('alice', 'health uat');
    expect(calls).toHaveLength(3);

    advance(9_000);
    const early = await bot.say('alice', 'health uat');
    expect(early[0]!.text).toContain('Try again in 1s');
    expect(calls).toHaveLength(3);

    advance(1_000);
    await bot.say('alice', 'health uat');
    expect(calls).toHaveLength(4);
    await bot.say('alice', 'health uat');
    expect(calls).toHaveLength(4);

    advance(60_000);
    for (let i = 0; i < 4; i++) await bot.say('alice', 'health uat');
    expect(calls).toHaveLength(7);
  });

  it('counts button clicks against the same bucket', async () => {
    const { bot, calls } = await limitedBot();
    const [posted] = await bot.say('alice', 'health uat');
    // Each click replaces the card with its result, so keep the card as first posted to click again.
    const card = { ...posted! };
    await bot.click(card, 'Details', 'alice');
    await bot.click(card, 'Details', 'alice');
    const refused = await bot.click(card, 'Details', 'alice');

    expect(calls.map((call) => call.target)).toEqual(['health', 'ops.details', 'ops.details']);
    expect(refused[0]!.private).toBe(true);
    expect(refused[0]!.text).toContain('Slow down');
    expect(bot.audit.at(-1)).toMatchObject({
      kind: 'action',
      target: 'ops.details',
      decision: 'rate-limited',
    });
  });

  it('can be turned off', async () => {
    const ops = createOpsPlugin();
    const bot = await createTestBot({
      plugins: [ops.plugin],
      config: { auth: { rateLimit: false } },
      now: () => 0,
    });
    bots.push(bot);
    for (let i = 0; i < 25; i++) await bot.say('alice', 'health uat');
    expect(ops.calls).toHaveLength(25);
  });
});
