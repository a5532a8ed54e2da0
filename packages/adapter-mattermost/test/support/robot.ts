import type { PluginDefinition } from '@chatops/core';
import { createTestBot } from '@chatops/core/testing';
import {
  type ChannelRecord,
  type EmulatedUser,
  MattermostEmulator,
  type TeamRecord,
} from '../../src/emulator/index.js';
import mattermostAdapter from '../../src/index.js';
import opsPlugin from '../fixtures/ops-plugin.mjs';

/** An emulated server with a team, a bot, two people, another bot and an `ops` channel. */
export interface World {
  mm: MattermostEmulator;
  team: TeamRecord;
  bot: EmulatedUser;
  alice: EmulatedUser;
  bob: EmulatedUser;
  otherBot: EmulatedUser;
  ops: ChannelRecord;
  commandToken: string;
}

export async function startWorld(options: { showEmail?: boolean } = {}): Promise<World> {
  const mm = await MattermostEmulator.start(options);
  const team = mm.addTeam('acme');
  const bot = mm.addBot('opsbot');
  const alice = mm.addUser({ username: 'alice', email: 'alice@example.com' });
  const bob = mm.addUser({ username: 'bob', email: 'bob@example.com' });
  const otherBot = mm.addBot('alertbot');
  const ops = mm.addChannel(team, 'ops', [bot, alice, bob, otherBot]);
  return { mm, team, bot, alice, bob, otherBot, ops, commandToken: 'command-token-0123456789' };
}

/** A robot with the ops plugin on the Mattermost adapter, pointed at the emulator. */
export async function startRobot(
  world: World,
  mattermost: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
  plugins: PluginDefinition[] = [],
) {
  const bot = await createTestBot({
    adapter: mattermostAdapter,
    plugins: [opsPlugin, ...plugins],
    ...(process.env.MM_LOG ? { logLevel: process.env.MM_LOG } : {}),
    config: {
      name: 'opsbot',
      http: { host: '127.0.0.1', port: 0 },
      auth: { rateLimit: false },
      mattermost: {
        url: world.mm.url,
        token: world.bot.token,
        commandTokens: [world.commandToken],
        reconnect: { minDelay: '20ms', maxDelay: '100ms' },
        ...mattermost,
      },
      ...extra,
    },
  });
  const { robot } = bot;
  const url = robot.http?.url() ?? '';
  for (const [id, command] of world.mm.commands)
    if (command.trigger === 'opsbot') world.mm.commands.delete(id);
  world.mm.addCommand(world.team, 'opsbot', `${url}/mattermost/command`, world.commandToken);
  return { robot, url, close: bot.close };
}

/** Resolves when `probe` returns true, polling briefly; rejects after `timeoutMs`. */
export async function eventually(probe: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The bot's posts in a channel. */
export function botPosts(world: World, channel: ChannelRecord) {
  return world.mm.postsIn(channel).filter((post) => post.user_id === world.bot.id);
}

/** Posts a button click (bob, in #ops) to a bot's callback URL with the given integration context. */
export function postClick(
  world: World,
  botUrl: string,
  postId: string,
  context: Record<string, unknown>,
): Promise<Response> {
  return fetch(`${botUrl}/mattermost/actions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      user_id: world.bob.id,
      user_name: 'bob',
      channel_id: world.ops.id,
      channel_name: 'ops',
      post_id: postId,
      context,
    }),
  });
}

/** Posts a button click with a made-up token, as an attacker who knows the callback URL would. */
export function postForgedClick(
  world: World,
  botUrl: string,
  postId: string,
  token: string,
): Promise<Response> {
  return postClick(world, botUrl, postId, { token, label: 'Deploy' });
}
