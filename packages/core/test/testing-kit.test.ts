import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { definePlugin } from '../src/index.js';
import { hashLine } from '../src/internal.js';
import { createTestBot, type PluginEntry, snapshot, type TestBot } from '../src/testing/index.js';
import { createOpsPlugin } from './fixtures/security-ops-plugin.js';

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

const deploy = definePlugin({
  name: 'deploy',
  config: z.object({ region: z.enum(['eu', 'us']) }),
  setup(b, config) {
    b.command({ name: 'where', effect: 'read', summary: 'region', run: () => config.region });
  },
});

describe('createTestBot and plugins that fail to load', () => {
  it("rejects with the plugin's config error, naming the key", async () => {
    const failing = createTestBot({ plugins: [[deploy, { region: 'mars' }]] });
    await expect(failing).rejects.toThrow(/^config error: plugins\.deploy\.region: /);
  });

  it('rejects with the error a setup threw', async () => {
    const broken = definePlugin({
      name: 'broken',
      setup() {
        throw new Error('cannot reach the database');
      },
    });
    await expect(createTestBot({ plugins: [broken] })).rejects.toThrow(
      'plugin "broken" failed to load: cannot reach the database',
    );
  });

  it('resolves with allowPluginFailures, so a test can check how the failure is reported', async () => {
    const broken = definePlugin({
      name: 'broken',
      setup(b) {
        b.command({ name: 'where', effect: 'read', summary: 'region', run: () => 'eu' });
        throw new Error('cannot reach the database');
      },
    });
    bot = await createTestBot({ plugins: [broken], allowPluginFailures: true });
    expect(bot.robot.plugins.find((plugin) => plugin.name === 'broken')?.loaded).toBe(false);
    // What the plugin registered before it threw was taken back.
    await bot.say('alice', 'where');
    expect(bot.lastResult?.status).toBe('unknown');
  });

  it('takes a readonly [plugin, config] tuple (as const)', async () => {
    const entry = [deploy, { region: 'eu' }] as const;
    const entries: readonly PluginEntry[] = [entry];
    bot = await createTestBot({ plugins: entries });
    const [reply] = await bot.say('alice', 'where');
    expect(reply?.text).toBe('eu');
  });
});

describe('dashed options', () => {
  it("reach the handler as ctx.args['dry-run'] and ctx.args.dryRun, and the audit line once", async () => {
    const seen: unknown[] = [];
    const release = definePlugin({
      name: 'release',
      setup(b) {
        b.command({
          name: 'release',
          options: { 'dry-run': { type: 'boolean', default: false } },
          effect: 'read',
          summary: 'release',
          run: (ctx) => {
            seen.push(ctx.args['dry-run'], ctx.args['dryRun']);
            return 'ok';
          },
        });
      },
    });
    bot = await createTestBot({ plugins: [release] });
    await bot.say('alice', 'release --dry-run');
    expect(seen).toEqual([true, true]);
    expect(bot.audit.at(-1)?.args).toEqual({ 'dry-run': true });
  });
});

describe('TestMessage snapshots', () => {
  it('replays a click on a message as it was shown, after the bot changed it', async () => {
    const ops = createOpsPlugin();
    bot = await createTestBot({
      plugins: [ops.plugin],
      config: {
        auth: { roles: { sre: ['shell:alice'] }, rules: [{ allow: 'ops.restart', roles: ['sre'] }] },
      },
    });
    const [card] = await bot.say('alice', 'health uat', { channel: 'ops' });
    const shown = snapshot(card!);

    await bot.click(card!, 'Restart uat', 'alice');
    // The live message was updated with the outcome: the used write button is gone.
    expect(card!.updates).toBe(1);
    expect(card!.card.actions.map((action) => action.label)).toEqual(['Details']);
    expect(shown.updates).toBe(0);
    expect(shown.card.actions.map((action) => action.label)).toEqual(['Restart uat', 'Details']);
    expect(Object.isFrozen(shown)).toBe(true);

    const again = await bot.click(shown, 'Restart uat', 'alice');
    expect(again[0]!.text).toContain('This button was already used.');
    expect(bot.lastResult?.status).toBe('denied');
    expect(ops.calls.filter((call) => call.target === 'ops.restart')).toHaveLength(1);
  });
});

describe('audit records of the testing kit', () => {
  it('are hash-chained: each prev is the SHA-256 of the line before it', async () => {
    bot = await createTestBot({ plugins: [createOpsPlugin().plugin] });
    await bot.say('alice', 'health uat');
    await bot.say('bob', 'restart uat');
    await bot.say('carol', 'whoami');

    const records = bot.audit;
    expect(records.length).toBeGreaterThanOrEqual(5);
    expect(records[0]!.prev).toBe('0'.repeat(64));
    records.slice(1).forEach((record, index) => {
      expect(record.prev).toBe(hashLine(JSON.stringify(records[index])));
    });
    expect(records.map((record) => record.seq)).toEqual(records.map((_, index) => index + 1));
  });
});
