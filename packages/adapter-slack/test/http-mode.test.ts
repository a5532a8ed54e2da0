import type { AdapterTestBot } from '@chatops/core/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SlackEmulator, type SlackHttpModeClient, signSlackRequest } from '../src/emulator/index.js';
import type { SlackAdapter } from '../src/index.js';
import { state } from './fixtures/ops-plugin.mjs';
import { startRobot } from './support/robot.js';
import { blockText, settle } from './support/settle.js';

describe('Slack adapter in HTTP mode (Events API, slash commands, interactivity)', () => {
  let slack: SlackEmulator;
  let bot: AdapterTestBot;
  let client: SlackHttpModeClient;

  beforeEach(async () => {
    state.runs.length = 0;
    slack = await SlackEmulator.start({ timing: { retryDelaysMs: [0, 50, 50] } });
    bot = await startRobot(slack, {
      http: true,
      slack: { mode: 'http', signingSecret: slack.signingSecret },
    });
    client = slack.useHttpMode(bot.robot.http!.url()!);
  });

  afterEach(async () => {
    await bot.close();
    await slack.close();
  });

  it('answers url_verification with the challenge', async () => {
    const answer = await client.sendEvent({ token: 'x', challenge: 'c-123', type: 'url_verification' });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ challenge: 'c-123' });
  });

  it('takes signed mentions, slash commands and clicks on its Request URLs', async () => {
    const mention = slack.mention({ user: 'alice', channel: 'ops', text: 'ping api' });
    expect((await mention.settled()).every((outcome) => outcome.acked)).toBe(true);
    const [post] = await slack.waitForCall('chat.postMessage');
    expect(post!.args.thread_ts).toBe(mention.message!.ts);

    slack.click({ user: 'alice', message: slack.botMessages('ops').at(-1)!, button: 'Restart' });
    const [update] = await slack.waitForCall('chat.update');
    expect(blockText(update!.args.blocks)).toContain('Restarted api');

    slack.slashCommand({ user: 'bob', channel: 'ops', text: 'ping db' });
    const [response] = await slack.waitForCall('response_url');
    expect(response!.args).toMatchObject({ response_type: 'in_channel' });
    await settle(slack, bot);
    expect(state.runs).toEqual(['ping api', 'restart api', 'ping db']);
  });

  it('handles a redelivery (X-Slack-Retry-Num) once', async () => {
    const first = slack.directMessage({ user: 'alice', text: 'count http' });
    await first.settled();
    const retry = await client.sendEvent(first.deliveries[0]!.payload, {
      retryNum: 1,
      retryReason: 'http_timeout',
    });
    expect(retry.status).toBe(200);
    await settle(slack, bot);
    expect(state.runs).toEqual(['count http']);
    expect(await bot.robot.metrics.render()).toMatch(
      /chatops_slack_redeliveries_total\{reason="http_timeout"\} 1/,
    );
  });

  it('refuses bad signatures, missing headers, stale timestamps and tampered bodies with 401; nothing runs', async () => {
    const event = slack.workspace; // payloads are built by the emulator, then sent by hand below
    const dm = slack.dmChannel('alice');
    const payload = {
      type: 'event_callback',
      team_id: event.app.teamId,
      api_app_id: event.app.appId,
      event_id: 'EvForged1',
      event_time: Math.floor(Date.now() / 1000),
      event: {
        type: 'message',
        channel: dm.id,
        channel_type: 'im',
        user: slack.user('alice').id,
        text: 'count forged',
        ts: '1.000001',
      },
    };
    const now = Math.floor(Date.now() / 1000);
    const attempts = await Promise.all([
      client.sendEvent(payload, { signature: `v0=${'0'.repeat(64)}` }),
      client.sendEvent(payload, {
        signature: signSlackRequest('another-secret', now, JSON.stringify(payload)),
      }),
      client.sendEvent(payload, { omitSignature: true }),
      client.sendEvent(payload, { omitTimestamp: true }),
      client.sendEvent(payload, { timestamp: now - 360 }),
      // Well outside the five minutes either way, so a slow machine cannot bring it back inside.
      client.sendEvent(payload, { timestamp: now + 360 }),
      client.sendEvent(payload, { tamper: (body) => body.replace('count forged', 'count tampered') }),
      client.sendCommand(
        { command: '/opsbot', text: 'count forged', user_id: 'U1', channel_id: 'C1' },
        { omitSignature: true },
      ),
      client.sendAction({ type: 'block_actions', actions: [] }, { signature: 'v0=abc' }),
    ]);
    expect(attempts.map((attempt) => attempt.status)).toEqual([401, 401, 401, 401, 401, 401, 401, 401, 401]);
    await (bot.adapter as SlackAdapter).idle();
    expect(state.runs).toEqual([]);
    expect(slack.calls.filter((call) => call.method.startsWith('chat.'))).toHaveLength(0);
  });

  it('answers 400 to a signed request that is not a Slack payload', async () => {
    const answer = await client.send('/slack/events', 'hello', 'text/plain');
    expect(answer.status).toBe(400);
  });

  it('is ready on /readyz once connected', async () => {
    const response = await fetch(new URL('/readyz', bot.robot.http!.url()!));
    expect(response.status).toBe(200);
  });
});

describe('readiness in Socket Mode', () => {
  it('reports /readyz 503 while the socket is down and 200 once it reconnects', async () => {
    state.runs.length = 0;
    const slack = await SlackEmulator.start();
    const bot = await startRobot(slack, { http: true });
    try {
      const readyz = async () => (await fetch(new URL('/readyz', bot.robot.http!.url()!))).status;
      expect(await readyz()).toBe(200);
      slack.socket.refuseConnections = true;
      slack.dropConnections();
      await vi.waitFor(async () => expect(await readyz()).toBe(503), { timeout: 5000, interval: 20 });
      slack.socket.refuseConnections = false;
      await vi.waitFor(async () => expect(await readyz()).toBe(200), { timeout: 5000, interval: 20 });
      slack.directMessage({ user: 'alice', text: 'count after-outage' });
      await slack.waitForCall('chat.postMessage');
      expect(state.runs).toEqual(['count after-outage']);
    } finally {
      await bot.close();
      await slack.close();
    }
  });
});
