import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BotProcess } from '@chatops/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackEmulator } from '../src/emulator/index.js';
import { emulatorSlackBlock, packageDir } from './support/bot-process.js';
import { blockText } from './support/settle.js';

const plugin = join(packageDir, 'test/fixtures/ops-plugin.mjs');

async function writeConfig(
  dir: string,
  slack: SlackEmulator,
  options: { http?: boolean } = {},
): Promise<string> {
  const config = {
    name: 'opsbot',
    adapter: 'slack',
    store: { type: 'memory' },
    audit: { path: join(dir, 'audit.jsonl') },
    ...(options.http === false ? {} : { http: { host: '127.0.0.1', port: 0 } }),
    log: { level: 'info' },
    auth: { rateLimit: false, rules: [{ allow: 'ops.restart', roles: ['*'] }] },
    slack: emulatorSlackBlock(slack.apiUrl),
    plugins: { [plugin]: {} },
  };
  const path = join(dir, 'chatops.config.json');
  await writeFile(path, JSON.stringify(config, null, 2));
  return path;
}

describe('chatops start with adapter: slack (child process against the emulator)', () => {
  let slack: SlackEmulator;
  let dir: string;
  let bot: BotProcess;
  let botUrl: string;

  /** Bot posts (chat.postMessage answered 200) whose blocks contain `text`. */
  const postsWith = (text: string) =>
    slack
      .callsTo('chat.postMessage')
      .filter((call) => call.status === 200 && blockText(call.args.blocks).includes(text));
  const waitForPost = (text: string) =>
    slack.waitForCall('chat.postMessage', {
      match: (call) => call.status === 200 && blockText(call.args.blocks).includes(text),
      timeoutMs: 15_000,
    });

  beforeAll(async () => {
    for (const built of [join(packageDir, '../core/dist/cli/main.js'), join(packageDir, 'dist/index.js')]) {
      if (!existsSync(built)) throw new Error(`${built} is missing: run \`pnpm build\` first`);
    }
    slack = await SlackEmulator.start({ timing: { ackTimeoutMs: 1000, retryDelaysMs: [0, 200, 200] } });
    dir = await mkdtemp(join(tmpdir(), 'chatops-slack-e2e-'));
    bot = new BotProcess(await writeConfig(dir, slack), {
      cwd: packageDir,
      env: { SLACK_BOT_TOKEN: slack.tokens.bot, SLACK_APP_TOKEN: slack.tokens.app },
    });
    const started = await bot.waitForLog((line) => line.msg === 'robot started');
    botUrl = String(started.http);
  });

  afterAll(async () => {
    const code = await bot?.stop();
    await slack?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    expect(code).toBe(0);
  });

  it('connects over Socket Mode and reports ready', async () => {
    expect((await fetch(`${botUrl}/readyz`)).status).toBe(200);
    expect(slack.socket.connectionCount).toBe(1);
    expect(slack.callsTo('auth.test')[0]?.token).toBe(slack.tokens.bot);
    expect(slack.callsTo('apps.connections.open')[0]?.token).toBe(slack.tokens.app);
  });

  it('answers a mention in a thread with buttons, and a click updates that message', async () => {
    const mention = slack.mention({ user: 'alice', channel: 'ops', text: 'ping e2e' });
    const [post] = await waitForPost('Pong e2e');
    expect(post!.args).toMatchObject({ channel: slack.channel('ops').id, thread_ts: mention.message!.ts });
    const card = slack.botMessages('ops').find((message) => blockText(message.blocks).includes('Pong e2e'))!;
    slack.click({ user: 'bob', message: card, button: 'Restart' });
    const [update] = await slack.waitForCall('chat.update', { timeoutMs: 15_000 });
    expect(update!.args).toMatchObject({ channel: card.channel, ts: card.ts });
    expect(blockText(update!.args.blocks)).toContain('Restarted e2e');
  });

  it('answers a DM in the DM', async () => {
    slack.directMessage({ user: 'alice', text: 'count dm' });
    const [post] = await waitForPost('counted dm');
    expect(post!.args.channel).toBe(slack.dmChannel('alice').id);
  });

  it('answers a slash command through its response_url', async () => {
    const command = slack.slashCommand({ user: 'bob', channel: 'ops', text: 'ping slash' });
    const [response] = await slack.waitForCall('response_url', {
      match: (call) => call.url === command.responseUrl!.url,
      timeoutMs: 15_000,
    });
    expect(response!.args).toMatchObject({ response_type: 'in_channel' });
    expect(blockText(response!.args.blocks)).toContain('Pong slash');
  });

  it('survives disconnect, a dropped socket and a lost ack with no event lost or handled twice', async () => {
    const opened = slack.socket.opened;
    slack.disconnect('refresh_requested');
    slack.directMessage({ user: 'alice', text: 'count during-refresh' });
    await slack.waitForConnection(opened + 1, 15_000);
    slack.dropConnections();
    slack.directMessage({ user: 'alice', text: 'count during-drop' });
    await slack.waitForConnection(opened + 2, 15_000);
    slack.socket.loseAcks(1);
    slack.directMessage({ user: 'alice', text: 'count lost-ack' });
    for (const label of ['during-refresh', 'during-drop', 'lost-ack']) await waitForPost(`counted ${label}`);
    await slack.waitUntil(() => slack.outstanding === 0, 'all deliveries acknowledged', 15_000);
    // A last message after everything else: any duplicate would have been answered before it.
    slack.directMessage({ user: 'alice', text: 'count marker' });
    await waitForPost('counted marker');
    for (const label of ['during-refresh', 'during-drop', 'lost-ack'])
      expect(postsWith(`counted ${label}`)).toHaveLength(1);
    expect((await fetch(`${botUrl}/readyz`)).status).toBe(200);
  });

  it('loses no message in a burst of 429s and counts the retries on /metrics', async () => {
    slack.rateLimit('chat.postMessage', { times: 2, retryAfter: 1 });
    for (const label of ['r1', 'r2', 'r3']) slack.directMessage({ user: 'bob', text: `count ${label}` });
    for (const label of ['r1', 'r2', 'r3']) await waitForPost(`counted ${label}`);
    const metrics = await (await fetch(`${botUrl}/metrics`)).text();
    expect(metrics).toMatch(/chatops_slack_retries_total\{reason="rate_limited"\} 2/);
  });

  it('never logs a token', () => {
    expect(bot.output).not.toContain(slack.tokens.bot);
    expect(bot.output).not.toContain(slack.tokens.app);
  });
});

describe('chatops start with a refused Slack token', () => {
  it('exits with a one-line error', async () => {
    const slack = await SlackEmulator.start();
    const dir = await mkdtemp(join(tmpdir(), 'chatops-slack-e2e-'));
    try {
      // Without `http:`: a robot whose start fails keeps its HTTP server open (a core matter).
      const bot = new BotProcess(await writeConfig(dir, slack, { http: false }), {
        cwd: packageDir,
        env: { SLACK_BOT_TOKEN: 'xoxb-revoked', SLACK_APP_TOKEN: slack.tokens.app },
      });
      const code = await bot.exited;
      expect(code).not.toBe(0);
      const errorLines = bot.output.split('\n').filter((line) => line.startsWith('chatops:'));
      expect(errorLines).toEqual([
        'chatops: slack.botToken was refused by Slack (invalid_auth); check the Bot User OAuth Token (xoxb-…)',
      ]);
      expect(bot.output).not.toContain('xoxb-revoked');
    } finally {
      await slack.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
