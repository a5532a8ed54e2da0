import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { botPosts, startRobot, startWorld, type World } from './support/robot.js';

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
      [...world.mm.state.channels.values()].find((c) => c.type === 'D' && c.members.has(world.alice.id)),
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

  async function restartCard() {
    world.mm.post(world.alice, world.ops, '@opsbot restart api');
    return (await world.mm.waitFor(() => botPosts(world, world.ops)[0])).id as string;
  }
  const confirmKeys = () => bot.robot.store.keys('mattermost:confirm:');

  it('asks the clicker to confirm in a dialog, and runs the click when it is submitted', async () => {
    const card = await restartCard();
    await world.mm.click(world.alice, card, 'Restart');
    expect(world.mm.ephemerals).toEqual([]);
    expect(world.mm.dialogs.lastFor(world.alice.id)).toMatchObject({
      url: `${bot.url}/mattermost/dialogs`,
      channelId: world.ops.id,
      dialog: { title: 'Are you sure?', introduction_text: 'Restart api?', submit_label: 'Restart' },
    });
    // The dialog carries a random id, never the button's token.
    expect(JSON.stringify(world.mm.dialogs.opened)).not.toContain('v1.');
    expect(world.mm.storedPost(card).edit_at).toBe(0);

    expect(await world.mm.submitDialog(world.alice)).toEqual({});
    // The submission is answered once the click ran: the post is updated by then.
    const attachment = (world.mm.storedPost(card).props.attachments as Record<string, unknown>[])[0];
    expect(attachment).toMatchObject({ title: 'api is down', text: 'Restarted api', footer: 'by @alice' });
    expect(await confirmKeys()).toEqual([]);
  });

  it('refuses at once, without a dialog and without storing anything, a clicker who may not run it', async () => {
    await bot.close();
    bot = await startRobot(
      world,
      {},
      {
        auth: {
          rateLimit: false,
          roles: { sre: [`mattermost:${world.alice.id}`] },
          rules: [{ allow: 'ops.restart', roles: ['sre'] }],
        },
      },
    );
    const card = await restartCard();
    await world.mm.click(world.bob, card, 'Restart');
    expect(world.mm.ephemerals.at(-1)?.userId).toBe(world.bob.id);
    expect(world.mm.ephemerals.at(-1)?.post.message).toMatch(/can't run .*needs role sre/);
    expect(world.mm.dialogs.opened).toEqual([]);
    expect(await confirmKeys()).toEqual([]);

    await world.mm.click(world.alice, card, 'Restart');
    expect(world.mm.dialogs.lastFor(world.alice.id)).toBeDefined();
  });

  it('runs nothing when the dialog is cancelled, submitted by someone else, or submitted twice', async () => {
    const card = await restartCard();
    await world.mm.click(world.alice, card, 'Restart');
    const opened = world.mm.dialogs.lastFor(world.alice.id)!;
    const submit = (userId: string) =>
      world.mm.dialogs.submit(userId, {
        url: opened.url,
        callback_id: opened.dialog.callback_id,
        state: opened.dialog.state,
        channel_id: world.ops.id,
      });
    await submit(world.bob.id);
    await world.mm.submitDialog(world.alice, { cancelled: true });
    await submit(world.alice.id);
    expect(world.mm.storedPost(card).edit_at).toBe(0);
    expect(world.mm.integrationCalls.filter((call) => call.kind === 'dialog')).toHaveLength(3);
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
