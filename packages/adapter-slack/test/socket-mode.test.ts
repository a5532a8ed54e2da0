import { type AdapterTestBot, replyHabitsPlugin } from '@chatops/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlackEmulator } from '../src/emulator/index.js';
import { holdSlow, state } from './fixtures/ops-plugin.mjs';
import { startRobot } from './support/robot.js';
import { blockText, settle } from './support/settle.js';

describe('Slack adapter over Socket Mode (robot + official clients + emulator)', () => {
  let slack: SlackEmulator;
  let bot: AdapterTestBot | undefined;

  beforeEach(async () => {
    state.runs.length = 0;
    slack = await SlackEmulator.start({ timing: { ackTimeoutMs: 500, retryDelaysMs: [0, 100, 100] } });
  });

  afterEach(async () => {
    await bot?.close();
    bot = undefined;
    await slack.close();
  });

  it('answers a mention in a thread with a Block Kit card whose button carries the action token', async () => {
    bot = await startRobot(slack);
    const ops = slack.channel('ops');
    const injected = slack.mention({ user: 'alice', channel: 'ops', text: 'ping uat' });
    const [post] = await slack.waitForCall('chat.postMessage');
    expect(post!.token).toBe(slack.tokens.bot);
    expect(post!.args).toMatchObject({
      channel: ops.id,
      thread_ts: injected.message!.ts,
      text: expect.stringContaining('Pong uat'),
    });
    const blocks = post!.args.blocks as Record<string, unknown>[];
    expect(blocks[0]).toMatchObject({
      type: 'header',
      text: { type: 'plain_text', text: ':large_green_circle: Pong uat' },
    });
    const actions = blocks.find((block) => block.type === 'actions') as {
      elements: Record<string, unknown>[];
    };
    expect(actions.elements[0]).toMatchObject({
      type: 'button',
      text: { text: 'Restart' },
      style: 'danger',
      confirm: { title: { text: 'Are you sure?' } },
    });
    expect(typeof actions.elements[0]!.value).toBe('string');
    await settle(slack, bot);
    // The mention arrived as `message` and `app_mention`, and the bot's own reply was echoed: one run.
    expect(state.runs).toEqual(['ping uat']);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('answers a DM in the DM, without needing the bot name', async () => {
    bot = await startRobot(slack);
    slack.directMessage({ user: 'alice', text: 'whoami' });
    const [post] = await slack.waitForCall('chat.postMessage');
    expect(post!.args.channel).toBe(slack.dmChannel('alice').id);
    expect(post!.args.thread_ts).toBeUndefined();
    expect(blockText(post!.args.blocks)).toContain('alice@example.com');
  });

  it('answers a slash command through its response_url, in channel or privately', async () => {
    bot = await startRobot(slack);
    const command = slack.slashCommand({ user: 'alice', channel: 'ops', text: 'ping db' });
    const [outcome] = await command.settled();
    expect(outcome).toMatchObject({ acked: true, payload: {} });
    const [response] = await slack.waitForCall('response_url');
    expect(response!.url).toBe(command.responseUrl!.url);
    expect(response!.args).toMatchObject({
      response_type: 'in_channel',
      text: expect.stringContaining('Pong db'),
    });

    const unknown = slack.slashCommand({ user: 'alice', channel: 'ops', text: 'nonsense here' });
    const responses = await slack.waitForCall('response_url', { count: 2 });
    expect(responses[1]!.url).toBe(unknown.responseUrl!.url);
    expect(responses[1]!.args).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('Unknown command'),
    });
    expect(slack.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('sends private replies to a channel command as ephemeral messages', async () => {
    bot = await startRobot(slack);
    slack.mention({ user: 'bob', channel: 'ops', text: 'secret' });
    const [ephemeral] = await slack.waitForCall('chat.postEphemeral');
    expect(ephemeral!.args).toMatchObject({ channel: slack.channel('ops').id, user: slack.user('bob').id });
    expect(blockText(ephemeral!.args.blocks)).toContain('only for you');
  });

  it('runs a button click through the action path and updates the message in place', async () => {
    bot = await startRobot(slack);
    slack.mention({ user: 'alice', channel: 'ops', text: 'ping uat' });
    await slack.waitForCall('chat.postMessage');
    const card = slack.botMessages('ops').at(-1)!;
    slack.click({ user: 'bob', message: card, button: 'Restart' });
    const [update] = await slack.waitForCall('chat.update');
    expect(update!.args).toMatchObject({ channel: card.channel, ts: card.ts });
    expect(blockText(update!.args.blocks)).toContain('Restarted uat');
    expect(blockText(update!.args.blocks)).toContain('by @bob');
    expect(state.runs).toEqual(['ping uat', 'restart uat']);
  });

  it('posts no empty message when handlers return what ctx.reply returns, and a click keeps the card', async () => {
    bot = await startRobot(slack, {
      auth: { rules: [{ allow: 'hubot.deploy', roles: ['*'] }] },
      plugins: [replyHabitsPlugin],
    });
    slack.mention({ user: 'alice', channel: 'ops', text: 'hi' });
    await slack.waitForCall('chat.postMessage');
    slack.mention({ user: 'alice', channel: 'ops', text: 'offer' });
    await slack.waitForCall('chat.postMessage', { count: 2 });
    await settle(slack, bot);
    const card = slack
      .botMessages('ops')
      .find((message) => blockText(message.blocks).includes('Deploy api?'))!;

    slack.click({ user: 'bob', message: card, button: 'Note' });
    await slack.waitForCall('chat.postMessage', { count: 3 });
    slack.click({ user: 'bob', message: card, button: 'Deploy' });
    const [update] = await slack.waitForCall('chat.update');
    await settle(slack, bot);

    const posts = slack.callsTo('chat.postMessage');
    expect(posts.map((post) => post.args.text)).toEqual([
      'hello',
      expect.stringContaining('Deploy api?'),
      'noted',
    ]);
    for (const post of [...posts, ...slack.callsTo('chat.update')]) {
      expect(String(post.args.text ?? '').trim()).not.toBe('');
      expect(post.args.blocks).not.toEqual([]);
    }
    expect(slack.callsTo('chat.update')).toHaveLength(1);
    const shown = blockText(update!.args.blocks);
    for (const part of ['Deploy api?', 'Ready to roll out.', 'Deployed api', 'by @bob'])
      expect(shown).toContain(part);
    expect(shown).toContain('"Note"');
    expect(shown).not.toContain('"Deploy"');
  });

  it('authorizes clicks by the email from users.info', async () => {
    bot = await startRobot(slack, {
      auth: {
        roles: { admin: ['email:alice@example.com'] },
        rules: [{ allow: 'ops.restart', roles: ['admin'] }],
      },
    });
    slack.mention({ user: 'bob', channel: 'ops', text: 'ping web' });
    await slack.waitForCall('chat.postMessage');
    const card = slack.botMessages('ops').at(-1)!;
    slack.click({ user: 'bob', message: card, button: 'Restart' });
    const [denied] = await slack.waitForCall('chat.postEphemeral');
    expect(denied!.args.user).toBe(slack.user('bob').id);
    expect(slack.callsTo('chat.update')).toHaveLength(0);
    slack.click({ user: 'alice', message: card, button: 'Restart' });
    await slack.waitForCall('chat.update');
    expect(state.runs).toEqual(['ping web', 'restart web']);
    expect(slack.callsTo('users.info').map((call) => call.args.user)).toEqual(
      expect.arrayContaining([slack.user('alice').id, slack.user('bob').id]),
    );
  });

  it('looks users up with users.info once per cache period', async () => {
    bot = await startRobot(slack);
    const alice = slack.user('alice');
    const first = await bot.adapter.lookupUser!(alice.id);
    const second = await bot.adapter.lookupUser!(alice.id);
    expect(first).toEqual({ id: alice.id, name: 'alice', email: 'alice@example.com' });
    expect(second).toEqual(first);
    expect(slack.callsTo('users.info')).toHaveLength(1);
    expect(await bot.adapter.lookupUser!('U404')).toBeUndefined();
  });

  it('acknowledges at once, even while a handler is still running', async () => {
    bot = await startRobot(slack);
    holdSlow();
    const injected = slack.directMessage({ user: 'alice', text: 'slow' });
    const [outcome] = await injected.settled();
    expect(outcome).toMatchObject({ acked: true, attempt: 0 });
    await state.slowStarted;
    expect(slack.callsTo('chat.postMessage')).toHaveLength(0);
    state.releaseSlow();
    const [post] = await slack.waitForCall('chat.postMessage');
    expect(blockText(post!.args.blocks)).toContain('slow done');
  });

  it('handles an event once when Slack retries it because an ack was lost', async () => {
    bot = await startRobot(slack);
    slack.socket.loseAcks(1);
    const injected = slack.directMessage({ user: 'alice', text: 'count once' });
    const [outcome] = await injected.settled();
    expect(outcome).toMatchObject({ acked: true, attempt: 1 });
    await settle(slack, bot);
    expect(state.runs).toEqual(['count once']);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
    const metrics = await bot.robot.metrics.render();
    expect(metrics).toMatch(/chatops_slack_redeliveries_total\{reason="timeout"\} 1/);
  });

  it('survives disconnect frames and dropped sockets without losing or repeating an event', async () => {
    bot = await startRobot(slack);
    const adapter = bot.adapter;
    const before = slack.directMessage({ user: 'alice', text: 'count before' });
    await before.settled();
    for (const [index, interruption] of (
      ['refresh_requested', 'warning', 'link_disabled', 'drop'] as const
    ).entries()) {
      if (interruption === 'drop') slack.dropConnections();
      else slack.disconnect(interruption);
      slack.directMessage({ user: 'alice', text: `count ${interruption}` });
      await slack.waitForConnection(index + 2);
    }
    // The first event again on the new connection, as after a reconnect: same event_id.
    slack.redeliver(before.deliveries[0]!);
    await settle(slack, bot);
    expect(adapter.isReady()).toBe(true);
    expect([...state.runs].sort()).toEqual(
      [
        'count before',
        'count drop',
        'count link_disabled',
        'count refresh_requested',
        'count warning',
      ].sort(),
    );
    expect(slack.callsTo('chat.postMessage')).toHaveLength(5);
    expect(slack.callsTo('apps.connections.open').length).toBeGreaterThanOrEqual(5);
  });

  it('waits out a burst of 429s without losing a message, and counts the retries', async () => {
    bot = await startRobot(slack);
    slack.rateLimit('chat.postMessage', { times: 2, retryAfter: 1 });
    for (const label of ['b1', 'b2', 'b3', 'b4'])
      slack.directMessage({ user: 'bob', text: `count ${label}` });
    const posts = await slack.waitForCall('chat.postMessage', {
      count: 4,
      match: (call) => call.status === 200,
      timeoutMs: 15_000,
    });
    const texts = posts.map((call) => blockText(call.args.blocks));
    for (const label of ['b1', 'b2', 'b3', 'b4'])
      expect(texts.some((text) => text.includes(`counted ${label}`))).toBe(true);
    expect(slack.callsTo('chat.postMessage').filter((call) => call.status === 429)).toHaveLength(2);
    expect(await bot.robot.metrics.render()).toMatch(
      /chatops_slack_retries_total\{reason="rate_limited"\} 2/,
    );
  });

  it('uploads long output as a file with a short summary in the message', async () => {
    bot = await startRobot(slack);
    slack.directMessage({ user: 'alice', text: 'long 400' });
    const [post] = await slack.waitForCall('chat.postMessage');
    const text = blockText(post!.args.blocks);
    expect(text).toContain('more lines in the attached file');
    expect(text.length).toBeLessThan(12_000);
    const [complete] = await slack.waitForCall('files.completeUploadExternal');
    expect(complete!.args.channel_id).toBe(slack.dmChannel('alice').id);
    const file = [...slack.workspace.files.values()][0]!;
    expect(file.content?.toString()).toContain('line 400 of the output');
  });

  it('shows progress in one message: chat.update in a channel, response_url replace for a slash command', async () => {
    bot = await startRobot(slack);
    slack.mention({ user: 'alice', channel: 'ops', text: 'steps' });
    const updates = await slack.waitForCall('chat.update', { count: 2 });
    const [post] = slack.callsTo('chat.postMessage');
    expect(blockText(post!.args.blocks)).toContain('step 1 of 2');
    expect(updates.map((call) => call.args.ts)).toEqual([post!.response.ts, post!.response.ts]);
    expect(blockText(updates[1]!.args.blocks)).toContain('all steps done');

    const command = slack.slashCommand({ user: 'alice', channel: 'ops', text: 'steps' });
    const responses = await slack.waitForCall('response_url', { count: 3 });
    expect(responses.map((call) => call.url)).toEqual(Array(3).fill(command.responseUrl!.url));
    expect(responses.map((call) => call.args.replace_original ?? call.args.response_type)).toEqual([
      'in_channel',
      true,
      true,
    ]);
    expect(slack.messages('ops').at(-1)?.text).toContain('all steps done');
  });

  it('sends plain text plus a file when Slack refuses the blocks', async () => {
    bot = await startRobot(slack);
    slack.failNext('chat.postMessage', 'msg_blocks_too_long');
    slack.directMessage({ user: 'alice', text: 'ping fallback' });
    const posts = await slack.waitForCall('chat.postMessage', { count: 2 });
    expect(posts[0]!.response.error).toBe('msg_blocks_too_long');
    expect(posts[1]!.args.blocks).toBeUndefined();
    expect(String(posts[1]!.args.text)).toContain('Pong fallback');
    await slack.waitForCall('files.completeUploadExternal');
    const file = [...slack.workspace.files.values()][0]!;
    expect(file.content?.toString()).toContain('fallback answered & is fine');
  });

  it('escapes user text so it cannot ping the channel or mention anyone', async () => {
    bot = await startRobot(slack);
    const victim = slack.user('bob').id;
    slack.mention({ user: 'alice', channel: 'ops', text: `say <!channel> <@${victim}> & <!here|here>` });
    const [post] = await slack.waitForCall('chat.postMessage');
    const text = blockText(post!.args.blocks) + String(post!.args.text);
    expect(text).not.toMatch(/<!channel>|<!here|<@U/);
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).toContain(`&lt;@${victim}&gt;`);
  });

  it('ignores its own messages and other bots', async () => {
    bot = await startRobot(slack);
    const otherBot = slack.addUser({ name: 'deploybot', isBot: true });
    slack.userMessage({ user: otherBot.id, channel: 'ops', text: 'opsbot count from-bot' });
    slack.userMessage({ user: slack.app.botUserId, channel: 'ops', text: 'opsbot count from-self' });
    await settle(slack, bot);
    expect(state.runs).toEqual([]);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('takes a plain channel message only when it starts with the bot name', async () => {
    bot = await startRobot(slack);
    slack.userMessage({ user: 'alice', channel: 'ops', text: 'count not-for-the-bot' });
    slack.userMessage({ user: 'alice', channel: 'ops', text: 'opsbot count by-name' });
    await slack.waitForCall('chat.postMessage');
    await settle(slack, bot);
    expect(state.runs).toEqual(['count by-name']);
  });

  it('fails to start with one line when a token is refused', async () => {
    await expect(startRobot(slack, { slack: { botToken: 'xoxb-revoked' } })).rejects.toThrow(
      /^slack\.botToken was refused by Slack \(invalid_auth\)[^\n]*$/,
    );
    await expect(startRobot(slack, { slack: { appToken: 'xapp-revoked' } })).rejects.toThrow(
      /^slack\.appToken was refused by Slack \(invalid_auth\)[^\n]*$/,
    );
  });
});
