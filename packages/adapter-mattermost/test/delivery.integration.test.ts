import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { botPosts, startRobot, startWorld, type World } from './harness.js';

describe('Mattermost adapter: private replies, confirmations, long posts', () => {
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

  it('sends private replies by DM when the bot may not post ephemeral messages', async () => {
    world.mm.post(world.alice, world.ops, '@opsbot pnig');
    const dm = await world.mm.waitFor(() =>
      [...world.mm.directory.channels.values()].find((c) => c.type === 'D' && c.members.has(world.alice.id)),
    );
    const post = await world.mm.waitFor(() => botPosts(world, dm)[0]);
    expect(post.message).toContain('Unknown command');
    expect(botPosts(world, world.ops)).toEqual([]);
    expect(world.mm.requests.find((r) => r.path === '/api/v4/posts/ephemeral')?.status).toBe(403);
  });

  it('sends private replies as ephemeral posts when the bot may', async () => {
    world.bot.roles = 'system_user system_admin';
    world.mm.post(world.alice, world.ops, '@opsbot pnig');
    const ephemeral = await world.mm.waitFor(() => world.mm.ephemerals[0]);
    expect(ephemeral.userId).toBe(world.alice.id);
    expect(ephemeral.post.message).toContain('Unknown command');
    expect(ephemeral.post.channel_id).toBe(world.ops.id);
  });

  it('asks for a second click on buttons that want confirmation', async () => {
    world.mm.post(world.alice, world.ops, '@opsbot restart api');
    const card = await world.mm.waitFor(() => botPosts(world, world.ops)[0]);
    await world.mm.click(world.alice, card.id as string, 'Restart');
    expect(world.mm.ephemerals.at(-1)?.post.message).toBe(
      'Restart api? Click **Restart** again within 30s to confirm.',
    );
    expect(world.mm.storedPost(card.id as string).edit_at).toBe(0);
    await world.mm.click(world.alice, card.id as string, 'Restart');
    const attachment = (
      world.mm.storedPost(card.id as string).props.attachments as Record<string, unknown>[]
    )[0];
    expect(attachment).toMatchObject({ text: 'Restarted api', footer: 'by @alice' });
  });

  it('splits a reply longer than the limit into several posts in order', async () => {
    world.mm.post(world.alice, world.ops, `@opsbot echo ${'*'.repeat(10_000)}`);
    await world.mm.waitFor(() => botPosts(world, world.ops).length >= 2);
    const posts = botPosts(world, world.ops);
    expect(posts).toHaveLength(2);
    expect(posts.map((post) => post.message).join('')).toBe('\\*'.repeat(10_000));
  });

  it('answers a slash command from a channel the bot is not in privately', async () => {
    const lounge = world.mm.addChannel(world.team, 'lounge', [world.alice]);
    const response = await world.mm.runCommand(world.alice, lounge, '/opsbot ping lounge');
    expect(response).toMatchObject({ response_type: 'ephemeral', text: 'pong lounge' });
    expect(world.mm.postsIn(lounge)).toEqual([]);
  });

  it('turns a custom trigger into the command it names', async () => {
    world.mm.addCommand(world.team, 'ping', `${bot.url}/mattermost/command`, world.commandToken);
    await world.mm.runCommand(world.bob, world.ops, '/ping custom');
    await world.mm.waitFor(() => botPosts(world, world.ops).find((post) => post.message === 'pong custom'));
  });

  it('starts a thread under top-level posts when replyInThread is on', async () => {
    await bot.close();
    bot = await startRobot(world, { replyInThread: true });
    const post = world.mm.post(world.alice, world.ops, '@opsbot ping threaded');
    const reply = await world.mm.waitFor(() => botPosts(world, world.ops)[0]);
    expect(reply).toMatchObject({ message: 'pong threaded', root_id: post.id });
  });
});
