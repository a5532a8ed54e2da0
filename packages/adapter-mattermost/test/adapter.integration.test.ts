import { replyHabitsPlugin } from '@chatops/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  botPosts,
  eventually,
  postForgedClick,
  startRobot,
  startWorld,
  type World,
} from './support/robot.js';

describe('Mattermost adapter against the emulator', () => {
  let world: World;
  let bot: Awaited<ReturnType<typeof startRobot>>;

  beforeEach(async () => {
    world = await startWorld();
    bot = await startRobot(world);
  });
  afterEach(async () => {
    await bot.close();
    await world.mm.close();
  });

  const replyTo = (text: string) =>
    world.mm.waitFor(() => botPosts(world, world.ops).find((p) => p.message === text));

  it('answers an @mention in the channel, and the robot name without a mention', async () => {
    world.mm.post(world.alice, world.ops, '@opsbot ping uat');
    const reply = await replyTo('pong uat');
    expect(reply.root_id).toBe('');
    world.mm.post(world.alice, world.ops, 'opsbot ping staging');
    await replyTo('pong staging');
  });

  it('leaves plain channel chatter, its own posts and other bots alone', async () => {
    world.mm.post(world.alice, world.ops, 'ping prod');
    world.mm.post(world.otherBot, world.ops, '@opsbot ping bots');
    world.mm.post(world.alice, world.ops, '@opsbot ping last');
    await replyTo('pong last');
    expect(botPosts(world, world.ops).map((post) => post.message)).toEqual(['pong last']);
  });

  it('answers a DM in the DM', async () => {
    const dm = world.mm.directChannel(world.alice, world.bot);
    world.mm.post(world.alice, dm, 'ping dm');
    const reply = await world.mm.waitFor(() =>
      botPosts(world, dm).find((post) => post.message === 'pong dm'),
    );
    expect(reply.channel_id).toBe(dm.id);
  });

  it('answers in the thread a command was typed in', async () => {
    const root = world.mm.post(world.alice, world.ops, 'deploying today');
    world.mm.post(world.bob, world.ops, '@opsbot ping thread', { rootId: root.id });
    const reply = await replyTo('pong thread');
    expect(reply.root_id).toBe(root.id);
  });

  it('handles a post delivered twice once', async () => {
    const post = world.mm.post(world.alice, world.ops, '@opsbot ping twice');
    await replyTo('pong twice');
    world.mm.redeliver(world.mm.storedPost(post.id));
    world.mm.post(world.alice, world.ops, '@opsbot ping after');
    await replyTo('pong after');
    expect(botPosts(world, world.ops).filter((p) => p.message === 'pong twice')).toHaveLength(1);
  });

  it('escapes echoed user text: no @channel, no Markdown', async () => {
    world.mm.post(world.alice, world.ops, '@opsbot echo @channel *now* [x](http://evil)');
    const reply = await world.mm.waitFor(() => botPosts(world, world.ops)[0]);
    expect(reply.message).toBe('@\u200Bchannel \\*now\\* \\[x\\](http://evil)');
  });

  it('answers a slash command with a post, within the time limit', async () => {
    const response = await world.mm.runCommand(world.alice, world.ops, '/opsbot ping slash');
    expect(response).toEqual({});
    await replyTo('pong slash');
    const call = world.mm.integrationCalls[0];
    expect(call?.body).toMatchObject({ command: '/opsbot', text: 'ping slash', token: world.commandToken });
  });

  it('answers mistakes privately in the slash command response', async () => {
    const response = await world.mm.runCommand(world.alice, world.ops, '/opsbot pnig');
    expect(response.response_type).toBe('ephemeral');
    expect(response.text).toContain('Unknown command');
    expect(world.mm.ephemerals.map((e) => e.userId)).toEqual([world.alice.id]);
  });

  it('refuses a slash command with a wrong token', async () => {
    world.mm.commands.clear();
    world.mm.addCommand(world.team, 'opsbot', `${bot.url}/mattermost/command`, 'forged-token');
    await expect(world.mm.runCommand(world.alice, world.ops, '/opsbot ping')).rejects.toMatchObject({
      id: 'api.command.execute_command.failed_resp.app_error',
    });
    expect(world.mm.integrationCalls[0]?.status).toBe(401);
  });

  it('acknowledges slow slash commands first and posts the result later', async () => {
    await bot.close();
    bot = await startRobot(world, { ackTimeout: '100ms' });
    const response = await world.mm.runCommand(world.alice, world.ops, '/opsbot slow 600');
    expect(response).toEqual({ response_type: 'ephemeral', text: 'Working on `/opsbot slow 600`…' });
    await replyTo('slow done');
  });

  it('runs a button click as the clicker and adds the outcome to the clicked card', async () => {
    world.mm.post(world.alice, world.ops, '@opsbot deploy api');
    const card = await world.mm.waitFor(() => botPosts(world, world.ops)[0]);
    const stored = world.mm.storedPost(card.id as string);
    const action = (stored.props.attachments as { actions: { integration: { url: string } }[] }[])[0]!
      .actions[0]!;
    expect(action.integration.url).toBe(`${bot.url}/mattermost/actions`);
    expect(JSON.stringify(card)).not.toContain('integration');

    await world.mm.click(world.bob, card.id as string, 'Deploy');
    const updated = world.mm.storedPost(card.id as string);
    const attachment = (updated.props.attachments as Record<string, unknown>[])[0]!;
    expect(attachment).toMatchObject({
      title: 'Deploy api?',
      text: 'Ready to roll out.\n\nDeployed api',
      footer: 'by @bob',
      color: '#3DB887',
    });
    // A read button stays usable.
    expect((attachment.actions as { name: string }[]).map((action) => action.name)).toEqual(['Deploy']);
  });

  it('posts no empty message when handlers return what ctx.reply returns, and a click keeps the card', async () => {
    await bot.close();
    bot = await startRobot(
      world,
      {},
      { auth: { rateLimit: false, rules: [{ allow: 'hubot.deploy', roles: ['*'] }] } },
      [replyHabitsPlugin],
    );
    world.mm.post(world.alice, world.ops, '@opsbot hi');
    await world.mm.waitFor(() => botPosts(world, world.ops)[0]);
    world.mm.post(world.alice, world.ops, '@opsbot offer');
    const card = await world.mm.waitFor(() => botPosts(world, world.ops)[1]);

    await world.mm.click(world.bob, card.id as string, 'Note');
    await world.mm.waitFor(() => botPosts(world, world.ops)[2]);
    await world.mm.click(world.bob, card.id as string, 'Deploy');

    const posts = botPosts(world, world.ops);
    expect(posts.map((post) => post.message)).toEqual(['hello', '', 'noted']);
    for (const post of posts) expect(`${post.message}${JSON.stringify(post.props)}`).toMatch(/\w/);
    const attachment = (
      world.mm.storedPost(card.id as string).props.attachments as Record<string, unknown>[]
    )[0]!;
    expect(attachment).toMatchObject({
      title: 'Deploy api?',
      text: 'Ready to roll out.\n\nDeployed api',
      footer: 'by @bob',
    });
    expect((attachment.actions as { name: string }[]).map((action) => action.name)).toEqual(['Note']);
  });

  it('refuses a forged click with an ephemeral message and leaves the post alone', async () => {
    world.mm.post(world.alice, world.ops, '@opsbot deploy api');
    const card = await world.mm.waitFor(() => botPosts(world, world.ops)[0]);
    const response = await postForgedClick(world, bot.url, card.id as string, 'forged.token');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { ephemeral_text?: string; update?: unknown };
    expect(body.update).toBeUndefined();
    expect(body.ephemeral_text).toMatch(/\S/);
    expect(world.mm.storedPost(card.id as string).edit_at).toBe(0);
  });

  it('attaches output too long for a post as a file', async () => {
    world.mm.post(world.alice, world.ops, '@opsbot dump 2000');
    const post = await world.mm.waitFor(() => botPosts(world, world.ops)[0]);
    expect(post.message).toBe('Dump\n\n_Output attached: output.txt (2000 lines)._');
    const file = world.mm.state.files.get((post.file_ids as string[])[0]!);
    expect(file?.content.toString().split('\n')).toHaveLength(2000);
  });

  it('waits out a 429 and retries', async () => {
    world.mm.rateLimit({ times: 1, retryAfterSeconds: 1, match: /^POST \/api\/v4\/posts$/ });
    world.mm.post(world.alice, world.ops, '@opsbot ping limited');
    await world.mm.waitFor(() => botPosts(world, world.ops).find((p) => p.message === 'pong limited'), 8000);
    const posts = world.mm.requests.filter((r) => r.method === 'POST' && r.path === '/api/v4/posts');
    expect(posts.map((r) => r.status)).toEqual([429, 201]);
  });

  it('posts notifications to channels named in config', async () => {
    await bot.close();
    bot = await startRobot(world, {}, { notifications: { ops: { mattermost: '#ops' } } });
    await bot.robot.notify('ops', 'deploy finished @here');
    const post = await world.mm.waitFor(() => botPosts(world, world.ops)[0]);
    expect(post.message).toBe('deploy finished @\u200Bhere');
  });

  it('looks users up with their email when the server shows it', async () => {
    expect(await bot.robot.adapter.lookupUser?.(world.alice.id)).toEqual({
      id: world.alice.id,
      name: 'alice',
      email: 'alice@example.com',
    });
  });

  it('reports readiness on /readyz', async () => {
    expect((await fetch(`${bot.url}/readyz`)).status).toBe(200);
    world.mm.setWebSocketAvailable(false);
    world.mm.dropConnections(world.bot.id);
    await eventually(async () => (await fetch(`${bot.url}/readyz`)).status === 503);
    world.mm.setWebSocketAvailable(true);
    await eventually(async () => (await fetch(`${bot.url}/readyz`)).status === 200);
  });

  it('opens a direct message for @username and @email (notifications, ctx.send)', async () => {
    await bot.robot.post('@alice', 'for alice by name');
    await bot.robot.post('@bob@example.com', 'for bob by email');
    const toAlice = world.mm.postsIn(world.mm.directChannel(world.bot, world.alice));
    const toBob = world.mm.postsIn(world.mm.directChannel(world.bot, world.bob));
    expect(toAlice.map((post) => post.message)).toContain('for alice by name');
    expect(toBob.map((post) => post.message)).toContain('for bob by email');
    await expect(bot.robot.post('@nobody@example.com', 'lost')).rejects.toThrow(
      'no conversation "@nobody@example.com"',
    );
  });
});
