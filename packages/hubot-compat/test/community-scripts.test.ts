import type { TestBot } from '@chatops/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { compatBot } from './support/compat-bot.js';

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

const readAll = {
  scripts: [
    { module: 'hubot-rules', effect: 'read' },
    { module: 'hubot-diagnostics', effect: 'read' },
    { module: 'hubot-shipit', effect: 'read' },
    { module: 'hubot-help', effect: 'read' },
  ],
};

describe('community scripts from npm, unchanged', () => {
  it('hubot-rules answers "the rules"', async () => {
    bot = await compatBot(readAll);
    const replies = await bot.say('alice', 'opsbot what are the three rules');
    expect(replies.map((reply) => reply.text).join('\n')).toContain('A robot may not injure a human being');
    expect(bot.lastResult?.status).toBe('ok');
  });

  it('hubot-diagnostics answers ping, echo and adapter', async () => {
    bot = await compatBot(readAll);
    expect((await bot.say('alice', 'ping')).map((reply) => reply.text)).toEqual(['PONG']);
    expect((await bot.say('alice', 'echo hello there')).map((reply) => reply.text)).toEqual(['hello there']);
    expect((await bot.say('alice', 'adapter')).map((reply) => reply.text)).toEqual(['shell']);
  });

  it('hubot-shipit (CoffeeScript) hears "ship it" in a channel', async () => {
    bot = await compatBot(readAll);
    await waitFor(() => bot!.robot.router.listeners.get('hubot.shipit.1') !== undefined);
    const replies = await bot.say('alice', 'time to ship it!', { channel: 'dev', ambient: true });
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toMatch(/^https?:\/\//);
  });

  it("serves hubot-help's web page from robot.router; the chat help is the robot's own", async () => {
    bot = await compatBot(readAll, { config: { http: { host: '127.0.0.1', port: 0 } } });
    const page = await fetch(`${bot.robot.http!.url()}/hubot/opsbot/help`);
    expect(page.headers.get('content-type')).toBe('text/html');
    expect(await page.text()).toContain('<b>opsbot</b> ping - Reply with pong');
    const [help] = await bot.say('alice', 'help');
    expect(help!.text).toContain('Commands of opsbot');
  });

  it('names the wrong key of a bad hubot: block', async () => {
    // A config error in any plugin block stops the robot, naming the key.
    await expect(compatBot({ scripts: [{ module: 'hubot-rules', effect: 'admin' }] })).rejects.toThrow(
      /config error: hubot\.scripts\[0\]\.effect/,
    );
  });

  it('lists the legacy commands in help', async () => {
    bot = await compatBot(readAll);
    const [help] = await bot.say('alice', 'help');
    expect(help!.text).toContain('the rules - Make sure hubot still knows the rules.');
    expect(help!.text).toContain('echo <text> - Reply back with <text>');
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
