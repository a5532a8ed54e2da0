import type { RenderedCard } from '@chatops/core';
import { createLogger } from '@chatops/core/internal';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Interactions } from '../src/interactions.js';
import type { MattermostUser } from '../src/mattermost-types.js';
import { MessageSender } from '../src/message-sender.js';
import { createRestClient } from '../src/rest-client.js';
import { UserDirectory } from '../src/user-directory.js';
import { botPosts, startWorld, type World } from './support/robot.js';

const card = (text: string): RenderedCard => ({ text, actions: [] });

describe('MessageSender and UserDirectory with Client4 against the emulator', () => {
  let world: World;
  let sender: MessageSender;
  let users: UserDirectory;

  beforeEach(async () => {
    world = await startWorld({ showEmail: false });
    const rest = createRestClient(world.mm.url, world.bot.token, {
      retries: 2,
      maxWaitMs: 2000,
      signal: new AbortController().signal,
      onRateLimited: () => undefined,
    });
    const me: MattermostUser = { id: world.bot.id, username: 'opsbot' };
    sender = new MessageSender(
      rest,
      new Interactions(),
      { limit: 500, replyInThread: false, actionUrl: () => undefined },
      () => me,
      createLogger({ level: 'silent' }),
    );
    users = new UserDirectory(rest, 60_000);
  });
  afterEach(async () => {
    await world.mm.close();
  });

  it('replies to the thread root when given a reply as the thread', async () => {
    const root = world.mm.post(world.alice, world.ops, 'root');
    const reply = world.mm.post(world.bob, world.ops, 'reply', { rootId: root.id });
    const ref = await sender.send({
      conversation: { id: world.ops.id, kind: 'thread', threadId: reply.id },
      card: card('answer'),
    });
    expect(ref?.threadId).toBe(root.id);
    expect(botPosts(world, world.ops)[0]).toMatchObject({ message: 'answer', root_id: root.id });
  });

  it('updates in place, cutting what no longer fits with a note', async () => {
    const ref = await sender.send({
      conversation: { id: world.ops.id, kind: 'channel' },
      card: card('working…'),
    });
    const long = Array.from({ length: 100 }, (_, i) => `step ${i} done`).join('\n');
    await sender.update(ref!, card(long));
    const post = world.mm.storedPost(ref!.id);
    expect(post.edit_at).toBeGreaterThan(0);
    expect([...post.message].length).toBeLessThanOrEqual(500);
    expect(post.message).toMatch(/… \d+ more lines$/);
  });

  it('gives no email when the server hides it, and the name and bot flag always', async () => {
    expect(await users.lookup(world.alice.id)).toEqual({ id: world.alice.id, name: 'alice' });
    expect(await users.lookup(world.otherBot.id)).toEqual({
      id: world.otherBot.id,
      name: 'alertbot',
      isBot: true,
    });
  });
});
