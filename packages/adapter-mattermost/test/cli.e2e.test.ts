import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BotProcess } from '@chatops/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botPosts, postForgedClick, startWorld, type World } from './support/robot.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = resolve(packageDir, '../..');
const cli = join(repoRoot, 'packages/core/bin/chatops.js');
const plugin = join(packageDir, 'test/fixtures/ops-plugin.mjs');

describe('chatops start with adapter: mattermost', () => {
  let world: World;
  let dir: string;
  let bot: BotProcess;
  let botUrl: string;

  beforeAll(async () => {
    for (const built of [
      cli.replace('bin/chatops.js', 'dist/cli/main.js'),
      join(packageDir, 'dist/index.js'),
    ]) {
      if (!existsSync(built)) throw new Error(`${built} is missing: run \`pnpm build\` first`);
    }
    world = await startWorld();
    dir = await mkdtemp(join(tmpdir(), 'chatops-mm-e2e-'));
    const config = {
      name: 'opsbot',
      adapter: 'mattermost',
      store: { type: 'memory' },
      audit: { path: join(dir, 'audit.jsonl') },
      http: { host: '127.0.0.1', port: 0 },
      log: { level: 'info' },
      auth: { rateLimit: false },
      mattermost: {
        url: world.mm.url,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's ${VAR} interpolation
        token: '${MATTERMOST_TOKEN}',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's ${VAR} interpolation
        commandTokens: ['${MATTERMOST_COMMAND_TOKEN}'],
        reconnect: { minDelay: '20ms', maxDelay: '100ms' },
      },
      plugins: { [plugin]: {} },
    };
    const configPath = join(dir, 'chatops.config.json');
    await writeFile(configPath, JSON.stringify(config, null, 2));
    // From the package directory `@chatops/adapter-mattermost` resolves to this package (self-reference).
    bot = new BotProcess(configPath, {
      cwd: packageDir,
      env: { MATTERMOST_TOKEN: world.bot.token, MATTERMOST_COMMAND_TOKEN: world.commandToken },
    });
    const started = await bot.waitForLog((line) => line.msg === 'robot started');
    botUrl = String(started.http);
    world.mm.addCommand(world.team, 'opsbot', `${botUrl}/mattermost/command`, world.commandToken);
  });

  afterAll(async () => {
    const code = await bot?.stop();
    await world?.mm.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    expect(code).toBe(0);
  });

  const reply = (text: string, channel = world.ops) =>
    world.mm.waitFor(() => botPosts(world, channel).find((post) => post.message === text), 10_000);

  it('is ready once connected', async () => {
    expect((await fetch(`${botUrl}/readyz`)).status).toBe(200);
    expect(world.mm.openSockets(world.bot)).toBe(1);
  });

  it('answers a mention, a DM and a command in a thread', async () => {
    world.mm.post(world.alice, world.ops, '@opsbot ping mention');
    await reply('pong mention');
    const dm = world.mm.directChannel(world.alice, world.bot);
    world.mm.post(world.alice, dm, 'ping dm');
    await reply('pong dm', dm);
    const root = world.mm.post(world.bob, world.ops, 'release notes');
    world.mm.post(world.alice, world.ops, '@opsbot ping thread', { rootId: root.id });
    expect((await reply('pong thread')).root_id).toBe(root.id);
  });

  it('runs a slash command', async () => {
    await world.mm.runCommand(world.bob, world.ops, '/opsbot ping slash');
    await reply('pong slash');
  });

  it('runs a button click as the clicker and adds the outcome to the clicked card', async () => {
    world.mm.post(world.alice, world.ops, '@opsbot deploy web');
    const card = await world.mm.waitFor(() =>
      botPosts(world, world.ops).find((post) => JSON.stringify(post.props).includes('Deploy web?')),
    );
    await world.mm.click(world.bob, card.id as string, 'Deploy');
    const attachment = (
      world.mm.storedPost(card.id as string).props.attachments as Record<string, unknown>[]
    )[0];
    expect(attachment).toMatchObject({
      title: 'Deploy web?',
      text: 'Ready to roll out.\n\nDeployed web',
      footer: 'by @bob',
    });
  });

  it('refuses a forged click', async () => {
    world.mm.post(world.alice, world.ops, '@opsbot deploy db');
    const card = await world.mm.waitFor(() =>
      botPosts(world, world.ops).find((post) => JSON.stringify(post.props).includes('Deploy db?')),
    );
    const response = await postForgedClick(
      world,
      botUrl,
      card.id as string,
      'eyJmb3JnZWQiOnRydWV9.c2lnbmF0dXJl',
    );
    const body = (await response.json()) as { ephemeral_text?: string; update?: unknown };
    expect(response.status).toBe(200);
    expect(body.update).toBeUndefined();
    expect(body.ephemeral_text).toMatch(/\S/);
    expect(world.mm.storedPost(card.id as string).edit_at).toBe(0);
  });

  it('handles a command posted while its connection was down exactly once', async () => {
    const { mm } = world;
    mm.setWebSocketAvailable(false);
    const refused = mm.socket.refusedUpgrades;
    mm.restart();
    await mm.waitFor(() => mm.socket.refusedUpgrades > refused, 10_000);
    mm.post(world.alice, world.ops, '@opsbot ping outage');
    mm.setWebSocketAvailable(true);
    await reply('pong outage');
    mm.post(world.alice, world.ops, '@opsbot ping recovered');
    await reply('pong recovered');
    expect(botPosts(world, world.ops).filter((post) => post.message === 'pong outage')).toHaveLength(1);
    expect(botPosts(world, world.ops).filter((post) => post.message === 'pong mention')).toHaveLength(1);
  });

  it('waits out a 429 and retries', async () => {
    world.mm.rateLimit({ times: 1, retryAfterSeconds: 1, match: /^POST \/api\/v4\/posts$/ });
    world.mm.post(world.alice, world.ops, '@opsbot ping limited');
    await reply('pong limited');
    const statuses = world.mm.requests
      .filter((r) => r.method === 'POST' && r.path === '/api/v4/posts')
      .map((r) => r.status);
    expect(statuses).toContain(429);
    expect(statuses.at(-1)).toBe(201);
  });

  it('audits as the Mattermost user with their email, and never logs a token', async () => {
    const audit = await readFile(join(dir, 'audit.jsonl'), 'utf8');
    expect(audit).toContain(`mattermost:${world.alice.id}`);
    expect(audit).toContain('alice@example.com');
    expect(bot.output).not.toContain(world.bot.token);
    expect(bot.output).not.toContain(world.commandToken);
  });
});
