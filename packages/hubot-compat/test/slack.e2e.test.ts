import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SlackEmulator } from '@chatops/adapter-slack/emulator';
import { BotProcess } from '@chatops/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('Hubot scripts on the Slack adapter (chatops start against the emulator, Socket Mode)', () => {
  let slack: SlackEmulator;
  let bot: BotProcess;
  let dir: string;

  beforeAll(async () => {
    if (!existsSync(join(packageDir, 'dist/index.js'))) throw new Error('run `pnpm build` first');
    slack = await SlackEmulator.start();
    dir = await mkdtemp(join(tmpdir(), 'hubot-slack-'));
    const config = {
      name: 'opsbot',
      adapter: 'slack',
      store: { type: 'memory' },
      audit: { path: join(dir, 'audit.jsonl') },
      log: { level: 'info' },
      auth: { rateLimit: false },
      slack: {
        botToken: slack.tokens.bot,
        appToken: slack.tokens.app,
        apiUrl: slack.apiUrl,
        postInterval: '10ms',
        retryMinDelay: '10ms',
      },
      hubot: {
        scripts: [
          { module: 'hubot-rules', effect: 'read' },
          { module: 'hubot-shipit', effect: 'read' },
        ],
      },
    };
    const configPath = join(dir, 'chatops.config.json');
    await writeFile(configPath, JSON.stringify(config, null, 2));
    bot = new BotProcess(configPath, { cwd: packageDir });
    await bot.waitForLog((line) => line['msg'] === 'robot started');
  });

  afterAll(async () => {
    const code = await bot?.stop();
    await slack?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    expect(code).toBe(0);
  });

  const posted = (text: string | RegExp) =>
    slack.waitForCall('chat.postMessage', {
      match: (call) => {
        const args = JSON.stringify(call.args);
        return call.status === 200 && (typeof text === 'string' ? args.includes(text) : text.test(args));
      },
      timeoutMs: 15_000,
    });

  it('answers a mention in its thread with hubot-rules', async () => {
    const mention = slack.mention({ user: 'alice', channel: 'ops', text: 'what are the rules' });
    const [post] = await posted('A robot may not injure a human being');
    expect(post!.args).toMatchObject({ channel: slack.channel('ops').id, thread_ts: mention.message!.ts });
  });

  it('hears "ship it" in a channel with hubot-shipit (CoffeeScript)', async () => {
    slack.userMessage({ user: 'bob', channel: 'ops', text: 'ready to ship it' });
    // One of the script's squirrel pictures.
    await posted(/https?:\/\/[^"\s]+\.(png|jpe?g)/);
  });
});
