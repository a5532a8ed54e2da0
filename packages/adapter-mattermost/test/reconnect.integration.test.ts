import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { botPosts, startRobot, startWorld, type World } from './support/robot.js';

describe('Mattermost adapter reconnects', () => {
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

  const replies = (text: string) => botPosts(world, world.ops).filter((post) => post.message === text);

  /** Cuts the bot off, lets `during` happen while it retries in vain, then lets it back in. */
  async function outage(cut: () => void, during: () => void): Promise<void> {
    const { mm } = world;
    mm.setWebSocketAvailable(false);
    const refused = mm.socket.refusedUpgrades;
    cut();
    await mm.waitFor(() => mm.socket.refusedUpgrades > refused);
    during();
    mm.setWebSocketAvailable(true);
  }

  it('resumes its connection and handles a command posted during the outage once', async () => {
    const { mm } = world;
    const firstSocket = mm.socket.sockets.at(-1)!;
    await outage(
      () => mm.dropConnections(world.bot.id),
      () => mm.post(world.alice, world.ops, '@opsbot ping outage'),
    );
    await mm.waitFor(() => replies('pong outage')[0]);
    expect(mm.socket.sockets.at(-1)).toMatchObject({
      resumed: true,
      connectionId: firstSocket.connectionId,
      requestedConnectionId: firstSocket.connectionId,
      auth: 'header',
    });
    mm.post(world.alice, world.ops, '@opsbot ping after');
    await mm.waitFor(() => replies('pong after')[0]);
    expect(replies('pong outage')).toHaveLength(1);
    expect(mm.requests.some((r) => r.path.endsWith('/posts') && r.query.includes('since='))).toBe(false);
  });

  it('catches up over REST after a server restart and handles each missed post once', async () => {
    const { mm } = world;
    mm.post(world.alice, world.ops, '@opsbot ping before');
    await mm.waitFor(() => replies('pong before')[0]);
    const dm = mm.directChannel(world.bob, world.bot);
    await outage(
      () => mm.restart(),
      () => {
        mm.post(world.alice, world.ops, '@opsbot ping missed');
        mm.post(world.bob, dm, 'ping dm-missed');
      },
    );
    await mm.waitFor(() => replies('pong missed')[0]);
    await mm.waitFor(() => botPosts(world, dm).find((post) => post.message === 'pong dm-missed'));
    expect(mm.socket.sockets.at(-1)?.resumed).toBe(false);
    expect(
      mm.requests.some(
        (r) => r.path === `/api/v4/channels/${world.ops.id}/posts` && r.query.includes('since='),
      ),
    ).toBe(true);

    mm.post(world.alice, world.ops, '@opsbot ping after');
    await mm.waitFor(() => replies('pong after')[0]);
    expect(replies('pong before')).toHaveLength(1);
    expect(replies('pong missed')).toHaveLength(1);
    expect(botPosts(world, dm)).toHaveLength(1);
  });

  it('retries a failed catch-up with backoff until it succeeds, handling each missed post once', async () => {
    const { mm } = world;
    const since = /^GET \/api\/v4\/channels\/[^/]+\/posts$/;
    await outage(
      () => mm.restart(),
      () => {
        mm.post(world.alice, world.ops, '@opsbot ping during');
        // The first catch-up requests fail: the channel list once, then the posts of the channel twice.
        mm.failRequests({ times: 1, match: /^GET \/api\/v4\/users\/me\/teams$/ });
        mm.failRequests({ times: 2, status: 503, match: since });
      },
    );
    await mm.waitFor(() => replies('pong during')[0], 8000);
    const fetches = mm.requests.filter(
      (r) => since.test(`${r.method} ${r.path}`) && r.query.includes('since='),
    );
    expect(fetches.map((r) => r.status)).toEqual([503, 503, 200]);
    mm.post(world.alice, world.ops, '@opsbot ping after');
    await mm.waitFor(() => replies('pong after')[0]);
    expect(replies('pong during')).toHaveLength(1);
  });

  it('reconnects from the missing seq when an event is lost on the way', async () => {
    const { mm } = world;
    mm.loseEvents(world.bot, 1);
    mm.post(world.alice, world.ops, '@opsbot ping lost');
    mm.post(world.alice, world.ops, '@opsbot ping next');
    await mm.waitFor(() => replies('pong lost')[0]);
    await mm.waitFor(() => replies('pong next')[0]);
    const resumed = mm.socket.sockets.at(-1)!;
    expect(resumed.resumed).toBe(true);
    expect(resumed.requestedSequence).toBeGreaterThan(0);
    expect(replies('pong lost')).toHaveLength(1);
    expect(replies('pong next')).toHaveLength(1);
  });
});
