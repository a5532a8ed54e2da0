import { afterEach, describe, expect, it } from 'vitest';
import { type Bot, definePlugin } from '../src/index.js';
import { MemoryStore } from '../src/store/memory-store.js';
import { createTestBot, type TestBot } from '../src/testing/index.js';

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

/** A plugin that keeps its `bot` so the test can use its store. */
function holder(name: string) {
  const held: { bot?: Bot } = {};
  const plugin = definePlugin({
    name,
    setup: (api) => {
      held.bot = api;
    },
  });
  return { held, plugin };
}

describe('bot.store is namespaced per plugin', () => {
  it("keeps each plugin's keys under its name, out of the others' and the robot's reach", async () => {
    const store = new MemoryStore();
    const alpha = holder('alpha');
    const beta = holder('beta');
    bot = await createTestBot({ plugins: [alpha.plugin, beta.plugin], store });
    const a = alpha.held.bot!.store;
    const b = beta.held.bot!.store;

    await a.set('deploy:last', 'v1');
    expect(await store.get('alpha:deploy:last')).toBe('v1');
    expect(await b.get('deploy:last')).toBeUndefined();
    expect(await a.keys('deploy:')).toEqual(['deploy:last']);
    expect(await b.keys('')).toEqual([]);
    expect(await a.setIfAbsent('deploy:last', 'v2')).toBe(false);
    await b.delete('deploy:last');
    expect(await a.get('deploy:last')).toBe('v1');

    // The robot's own keys, among them the signing secret, do not show through.
    expect(await store.get('chatops:secret')).toEqual(expect.any(String));
    expect(await a.get('chatops:secret')).toBeUndefined();
    expect(await a.keys('chatops:')).toEqual([]);
    expect('close' in a).toBe(false);
  });

  it('reads keys stored before under the same "<plugin>:" prefix (ping and aws kept theirs)', async () => {
    const store = new MemoryStore();
    await store.set('ping:last:uat', { verdict: 'healthy' });
    const ping = holder('ping');
    bot = await createTestBot({ plugins: [ping.plugin], store });
    expect(await ping.held.bot!.store.get('last:uat')).toEqual({ verdict: 'healthy' });
  });

  it('refuses a plugin name that would share keys with the robot or another plugin', async () => {
    const reserved = holder('chatops');
    const colon = holder('a:b');
    bot = await createTestBot({ plugins: [reserved.plugin, colon.plugin], allowPluginFailures: true });
    expect(bot.robot.plugins.filter((plugin) => !plugin.loaded).map((plugin) => plugin.error)).toEqual([
      '"chatops" cannot be a plugin name (no ":", and "chatops" is reserved)',
      '"a:b" cannot be a plugin name (no ":", and "chatops" is reserved)',
    ]);
  });
});
