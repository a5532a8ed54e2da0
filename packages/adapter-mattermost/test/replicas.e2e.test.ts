import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BotProcess, RedisServer } from '@chatops/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botPosts, eventually, postClick, startWorld, type World } from './support/robot.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const opsPlugin = join(packageDir, 'test/fixtures/ops-plugin.mjs');
const replicaPlugin = join(packageDir, '../core/test/fixtures/replica-plugin.mjs');
const INSTANCES = ['mm-1', 'mm-2', 'mm-3'];

/**
 * Three `chatops start` replicas on one Redis as one Mattermost bot: every replica's WebSocket
 * receives every post, and a button click is an HTTP request to one replica.
 */
describe('three replicas on Redis as one Mattermost bot', () => {
  let redis: RedisServer;
  let world: World;
  let dir: string;
  const replicas = new Map<string, BotProcess>();
  const urls = new Map<string, string>();

  async function startReplica(instance: string): Promise<void> {
    const config = {
      name: 'opsbot',
      instance,
      adapter: 'mattermost',
      store: { type: 'redis', url: redis.url, prefix: 'mm:', eventLease: '2s' },
      audit: { path: join(dir, `audit-${instance}.jsonl`) },
      http: { host: '127.0.0.1', port: 0 },
      log: { level: 'info' },
      secret: 'replica-test-secret-0123456789',
      auth: { rateLimit: false, rules: [{ allow: 'replica.press', roles: ['*'] }] },
      mattermost: {
        url: world.mm.url,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's ${VAR} interpolation
        token: '${MATTERMOST_TOKEN}',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's ${VAR} interpolation
        commandTokens: ['${MATTERMOST_COMMAND_TOKEN}'],
        reconnect: { minDelay: '20ms', maxDelay: '100ms' },
      },
      plugins: { [opsPlugin]: {}, [replicaPlugin]: { instance } },
    };
    const path = join(dir, `${instance}.json`);
    await writeFile(path, JSON.stringify(config, null, 2));
    const bot = new BotProcess(path, {
      cwd: packageDir,
      env: { MATTERMOST_TOKEN: world.bot.token, MATTERMOST_COMMAND_TOKEN: world.commandToken },
    });
    replicas.set(instance, bot);
    const started = await bot.waitForLog((line) => line.msg === 'robot started');
    urls.set(instance, String(started.http));
  }

  /** The bot's posts in #ops whose message is exactly `text`. */
  const answers = (text: string) => botPosts(world, world.ops).filter((post) => post.message === text);

  beforeAll(async () => {
    for (const built of [join(packageDir, '../core/dist/cli/main.js'), join(packageDir, 'dist/index.js')]) {
      if (!existsSync(built)) throw new Error(`${built} is missing: run \`pnpm build\` first`);
    }
    redis = await RedisServer.start();
    world = await startWorld();
    dir = await mkdtemp(join(tmpdir(), 'chatops-mm-replicas-'));
    await Promise.all(INSTANCES.map((instance) => startReplica(instance)));
    await eventually(() => world.mm.openSockets(world.bot) === 3, 10_000);
  });

  afterAll(async () => {
    await Promise.all([...replicas.values()].map((bot) => bot.stop()));
    await world?.mm.close();
    await redis?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('answers each post once although all three replicas receive it', async () => {
    const labels = Array.from({ length: 20 }, (_, index) => `m${index}x`);
    for (const label of labels) world.mm.post(world.alice, world.ops, `@opsbot ping ${label}`);
    await eventually(() => labels.every((label) => answers(`pong ${label}`).length > 0), 15_000);
    world.mm.post(world.bob, world.ops, '@opsbot ping marker');
    await eventually(() => answers('pong marker').length > 0, 15_000);
    for (const label of labels) expect(answers(`pong ${label}`)).toHaveLength(1);
  });

  it('lets a write button work once when its clicks reach different replicas', async () => {
    world.mm.post(world.alice, world.ops, '@opsbot button b1');
    await eventually(
      () => botPosts(world, world.ops).some((post) => JSON.stringify(post.props).includes('Press b1?')),
      15_000,
    );
    const card = botPosts(world, world.ops).find((post) => JSON.stringify(post.props).includes('Press b1?'))!;
    const stored = world.mm.storedPost(card.id as string).props as {
      attachments: { actions: { integration: { context: Record<string, unknown> } }[] }[];
    };
    const action = stored.attachments[0]!.actions[0]!.integration.context;
    const clicks = [...urls.values()].map(async (url) => {
      const response = await postClick(world, url, card.id as string, action);
      return (await response.json()) as { update?: unknown; ephemeral_text?: string };
    });
    const bodies = await Promise.all(clicks);
    const pressed = bodies.filter((body) => JSON.stringify(body).includes('pressed b1'));
    const refused = bodies.filter((body) => body.ephemeral_text?.includes('This button was already used.'));
    expect({ pressed: pressed.length, refused: refused.length }).toEqual({ pressed: 1, refused: 2 });
  });

  it('loses and doubles nothing when a replica is killed with kill -9 in the middle of a burst', async () => {
    const labels = Array.from({ length: 9 }, (_, index) => `w${index}x`);
    for (const label of labels) world.mm.post(world.alice, world.ops, `@opsbot work 1500 ${label}`);
    const working = () =>
      [...replicas].find(([, bot]) =>
        bot.lines.some((line) => line.msg === 'work started' && labels.includes(String(line.label))),
      );
    await eventually(() => working() !== undefined, 15_000);
    const [victim, bot] = working()!;
    await bot.kill();
    replicas.delete(victim);
    await eventually(() => labels.every((label) => answers(`worked ${label}`).length > 0), 20_000);
    world.mm.post(world.bob, world.ops, '@opsbot ping after-kill');
    await eventually(() => answers('pong after-kill').length > 0, 15_000);
    for (const label of labels) expect(answers(`worked ${label}`)).toHaveLength(1);
  }, 45_000);
});
