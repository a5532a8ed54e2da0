import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelRecord, CommandResponse, TeamRecord } from '../src/emulator/index.js';
import { botPosts, startRobot, startWorld, type World } from './support/robot.js';

/** What the bot told `alice` privately (ephemeral posts, or its DM with her), attachments included. */
function privateRepliesToAlice(world: World): string[] {
  const ephemeral = world.mm.ephemerals
    .filter((record) => record.userId === world.alice.id)
    .map((record) => JSON.stringify(record.post));
  const dm = botPosts(world, world.mm.directChannel(world.alice, world.bot)).map((post) =>
    JSON.stringify(post),
  );
  return [...ephemeral, ...dm];
}

/** The text of a slash command's answer, attachments included. */
function answerText(response: CommandResponse): string {
  return JSON.stringify(response);
}

describe('channels: rules on Mattermost (team-scoped names, exact ids)', () => {
  let world: World;
  let evil: TeamRecord;
  let evilOps: ChannelRecord;
  let bot: Awaited<ReturnType<typeof startRobot>>;

  beforeEach(async () => {
    world = await startWorld();
    evil = world.mm.addTeam('evil');
    evilOps = world.mm.addChannel(evil, 'ops', [world.bot, world.alice]);
  });
  afterEach(async () => {
    await bot.close();
    await world.mm.close();
  });

  const pongs = (channel: ChannelRecord) =>
    botPosts(world, channel).filter((post) => String(post.message).startsWith('pong'));

  it('matches `#ops` only in the configured team, by mention and by slash command', async () => {
    bot = await startRobot(
      world,
      { team: 'acme' },
      {
        auth: { rateLimit: false, rules: [{ allow: 'ops.ping', roles: ['*'], channels: ['#ops'] }] },
      },
    );
    world.mm.addCommand(evil, 'opsbot', `${bot.url}/mattermost/command`, world.commandToken);

    world.mm.post(world.alice, world.ops, '@opsbot ping home');
    await world.mm.waitFor(() => pongs(world.ops)[0]);

    world.mm.post(world.alice, evilOps, '@opsbot ping elsewhere');
    await world.mm.waitFor(() =>
      privateRepliesToAlice(world).find((text) => text.includes('allowed only in #ops')),
    );
    const slash = await world.mm.runCommand(world.alice, evilOps, '/opsbot ping slash');
    expect(answerText(slash)).toMatch(/allowed only in (\\)*#ops/);
    expect(pongs(evilOps)).toEqual([]);
  });

  it('names one team exactly with `#team/channel`', async () => {
    bot = await startRobot(
      world,
      { team: 'acme' },
      {
        auth: { rateLimit: false, rules: [{ allow: 'ops.ping', roles: ['*'], channels: ['#evil/ops'] }] },
      },
    );
    world.mm.post(world.alice, evilOps, '@opsbot ping there');
    await world.mm.waitFor(() => pongs(evilOps)[0]);
    world.mm.post(world.alice, world.ops, '@opsbot ping home');
    await world.mm.waitFor(() => privateRepliesToAlice(world).find((text) => text.includes('#evil/ops')));
    expect(pongs(world.ops)).toEqual([]);
  });

  it('refuses a channel *named* like the channel id a rule allows', async () => {
    const impostor = world.mm.addChannel(world.team, world.ops.id, [world.bot, world.alice]);
    bot = await startRobot(
      world,
      { team: 'acme' },
      {
        auth: { rateLimit: false, rules: [{ allow: 'ops.ping', roles: ['*'], channels: [world.ops.id] }] },
      },
    );
    const slash = await world.mm.runCommand(world.alice, impostor, '/opsbot ping slash');
    expect(answerText(slash)).toContain('allowed only in one specific channel');
    expect(answerText(slash)).not.toContain(world.ops.id);
    world.mm.post(world.alice, world.ops, '@opsbot ping real');
    await world.mm.waitFor(() => pongs(world.ops)[0]);
    expect(pongs(impostor)).toEqual([]);
  });

  it("judges a click by the channel the button belongs to, not the payload's channel_name", async () => {
    const dev = world.mm.addChannel(world.team, 'dev', [world.bot, world.alice]);
    bot = await startRobot(
      world,
      { team: 'acme' },
      {
        auth: { rateLimit: false, rules: [{ allow: 'ops.deploy', roles: ['*'], channels: ['#ops'] }] },
      },
    );
    await bot.robot.post(
      { id: dev.id, name: 'dev', kind: 'channel' },
      {
        text: 'Deploy?',
        actions: [{ label: 'Deploy', action: 'ops.deploy', args: { service: 'api' }, confirm: false }],
      },
    );
    const card = await world.mm.waitFor(() => botPosts(world, dev)[0]);
    const stored = world.mm.storedPost(card.id as string);
    const { context } = (
      stored.props.attachments as { actions: { integration: { context: object } }[] }[]
    )[0]!.actions[0]!.integration;
    const forged = await fetch(`${bot.url}/mattermost/actions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        user_id: world.alice.id,
        user_name: 'alice',
        channel_id: dev.id,
        channel_name: 'ops',
        team_domain: 'acme',
        post_id: card.id,
        context,
      }),
    });
    const answer = JSON.stringify(await forged.json());
    expect(answer).toMatch(/allowed only in (\\)*#ops/);
    expect(answer).not.toContain('Deployed');
  });
});
