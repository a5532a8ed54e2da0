import { LogLevel, SocketModeClient } from '@slack/socket-mode';
import { WebClient, WebClientEvent } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlackEmulator, signSlackRequest } from '../src/emulator/index.js';

type Envelope = {
  ack: (response?: Record<string, unknown>) => Promise<void>;
  body: Record<string, unknown>;
  retry_num?: number;
  retry_reason?: string;
  envelope_id: string;
};

describe('Slack emulator with the official clients', () => {
  let slack: SlackEmulator;
  let socket: SocketModeClient | undefined;

  beforeEach(async () => {
    slack = await SlackEmulator.start({
      timing: { ackTimeoutMs: 300, retryDelaysMs: [0, 50, 50], closeAfterDisconnectMs: 200 },
    });
  });

  afterEach(async () => {
    await socket?.disconnect();
    socket = undefined;
    await slack.close();
  });

  function socketClient(appToken = slack.tokens.app): SocketModeClient {
    socket = new SocketModeClient({
      appToken,
      clientPingTimeout: 300,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } },
    });
    return socket;
  }

  it('opens a Socket Mode connection with the app token and says hello', async () => {
    const client = socketClient();
    const opened = await client.start();
    expect(opened.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=\w+&app_id=A/);
    expect(slack.socket.connectionCount).toBe(1);
    const call = slack.callsTo('apps.connections.open')[0]!;
    expect(call.token).toBe(slack.tokens.app);
    expect(call.contentType).toBe('application/x-www-form-urlencoded');
  });

  it('rejects a wrong app token with invalid_auth and a bot token with not_allowed_token_type', async () => {
    await expect(socketClient('xapp-wrong').start()).rejects.toMatchObject({
      data: { error: 'invalid_auth' },
    });
    const withBotToken = new WebClient(slack.tokens.bot, {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
    });
    await expect(withBotToken.apps.connections.open()).rejects.toMatchObject({
      data: { error: 'not_allowed_token_type' },
    });
  });

  it('delivers events_api envelopes, takes acks, and retries when an ack is lost', async () => {
    const client = socketClient();
    const seen: Envelope[] = [];
    client.on('slack_event', async (envelope: Envelope) => {
      seen.push(envelope);
      await envelope.ack();
    });
    await client.start();
    slack.socket.loseAcks(1);
    const injected = slack.mention({ user: 'alice', channel: 'ops', text: 'ping <uat> & more' });
    const outcomes = await injected.settled();
    expect(outcomes.every((outcome) => outcome.acked)).toBe(true);
    const mentions = seen.filter(
      (envelope) => (envelope.body.event as { type: string }).type === 'app_mention',
    );
    const messages = seen.filter((envelope) => (envelope.body.event as { type: string }).type === 'message');
    expect(mentions.length + messages.length).toBe(3);
    const retried = [...mentions, ...messages].find((envelope) => envelope.retry_num === 1)!;
    expect(retried.retry_reason).toBe('timeout');
    const first = [...mentions, ...messages].find(
      (envelope) => envelope.retry_num === 0 && envelope.body.event_id === retried.body.event_id,
    )!;
    expect(first.envelope_id).not.toBe(retried.envelope_id);
    const event = mentions[0]!.body.event as { text: string; channel_type?: string };
    expect(event.text).toBe(`<@${slack.app.botUserId}> ping &lt;uat&gt; &amp; more`);
    expect(event.channel_type).toBeUndefined();
  });

  it('sends disconnect and the client reconnects through apps.connections.open', async () => {
    const client = socketClient();
    await client.start();
    slack.disconnect('refresh_requested');
    await slack.waitForConnection(2);
    expect(slack.callsTo('apps.connections.open')).toHaveLength(2);
    slack.dropConnections();
    await slack.waitForConnection(3);
    const delivery = slack.directMessage({ user: 'bob', text: 'hi' });
    client.on('message', async ({ ack }: Envelope) => ack());
    const [outcome] = await delivery.settled();
    expect(outcome?.acked).toBe(true);
  });

  it('queues events while no socket is open and delivers them as retries', async () => {
    const injected = slack.directMessage({ user: 'alice', text: 'while offline' });
    const client = socketClient();
    const retries: (number | undefined)[] = [];
    client.on('message', async ({ ack, retry_num }: Envelope) => {
      retries.push(retry_num);
      await ack();
    });
    await client.start();
    await injected.settled();
    expect(retries).toEqual([1]);
  });

  it('passes slash command ack payloads and answers response_url posts', async () => {
    const client = socketClient();
    client.on('slash_commands', async ({ ack, body }: Envelope) => {
      await ack({ response_type: 'ephemeral', text: `got ${body.text}` });
    });
    await client.start();
    const injected = slack.slashCommand({ user: 'alice', channel: 'ops', text: 'ping uat' });
    const [outcome] = await injected.settled();
    expect(outcome).toMatchObject({ acked: true, payload: { text: 'got ping uat' } });
    const response = await fetch(injected.responseUrl!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'in_channel', text: 'pong' }),
    });
    expect(response.status).toBe(200);
    expect(slack.messages('ops').at(-1)).toMatchObject({ text: 'pong', user: slack.app.botUserId });
  });

  it('speaks the Web API: envelopes, token checks, scopes, blocks, updates and clicks', async () => {
    const web = new WebClient(slack.tokens.bot, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    const auth = await web.auth.test();
    expect(auth).toMatchObject({ ok: true, user_id: slack.app.botUserId, bot_id: slack.app.botId });
    await expect(
      new WebClient('xoxb-wrong', { slackApiUrl: slack.apiUrl }).auth.test(),
    ).rejects.toMatchObject({
      data: { ok: false, error: 'invalid_auth' },
    });
    const ops = slack.channel('ops');
    const posted = await web.chat.postMessage({
      channel: ops.id,
      text: 'fallback',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: 'hello' } },
        {
          type: 'actions',
          elements: [
            { type: 'button', action_id: 'a1', text: { type: 'plain_text', text: 'Go' }, value: 'tok' },
          ],
        },
      ],
    });
    expect(posted.ts).toMatch(/^\d+\.\d{6}$/);
    const call = slack.callsTo('chat.postMessage')[0]!;
    expect(call.contentType).toBe('application/x-www-form-urlencoded');
    expect((call.args.blocks as unknown[]).length).toBe(2);
    await expect(
      web.chat.postMessage({
        channel: ops.id,
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }],
      }),
    ).rejects.toMatchObject({ data: { error: 'invalid_blocks' } });
    await expect(web.chat.postMessage({ channel: 'C404', text: 'x' })).rejects.toMatchObject({
      data: { error: 'channel_not_found' },
    });
    await web.chat.update({ channel: ops.id, ts: posted.ts!, text: 'edited' });
    expect(slack.messages('ops').find((message) => message.ts === posted.ts)?.text).toBe('edited');
    const user = await web.users.info({ user: slack.user('alice').id });
    expect(user.user?.profile?.email).toBe('alice@example.com');
  });

  it('hides emails without users:read.email and answers missing_scope', async () => {
    await slack.close();
    slack = await SlackEmulator.start({ scopes: ['users:read'] });
    const web = new WebClient(slack.tokens.bot, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    const user = await web.users.info({ user: slack.user('alice').id });
    expect(user.user?.profile?.email).toBeUndefined();
    await expect(web.chat.postMessage({ channel: 'ops', text: 'x' })).rejects.toMatchObject({
      data: { error: 'missing_scope', needed: 'chat:write' },
    });
  });

  it('answers 429 with Retry-After, which the client waits out', async () => {
    const web = new WebClient(slack.tokens.bot, {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 2, minTimeout: 10, maxTimeout: 20 },
    });
    const limited: number[] = [];
    web.on(WebClientEvent.RATE_LIMITED, (seconds: number) => limited.push(seconds));
    slack.rateLimit('chat.postMessage', { times: 1, retryAfter: 0 });
    const posted = await web.chat.postMessage({ channel: 'ops', text: 'eventually' });
    expect(posted.ok).toBe(true);
    expect(limited).toEqual([0]);
    expect(slack.callsTo('chat.postMessage').map((call) => call.status)).toEqual([429, 200]);
  });

  it('takes files.uploadV2 through getUploadURLExternal, the upload URL and completeUploadExternal', async () => {
    const web = new WebClient(slack.tokens.bot, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    const ops = slack.channel('ops');
    await web.filesUploadV2({
      channel_id: ops.id,
      content: 'line 1\nline 2',
      filename: 'out.txt',
      title: 'Output',
    });
    expect(slack.callsTo('file.upload')[0]?.args).toMatchObject({ length: 13 });
    const file = [...slack.workspace.files.values()][0]!;
    expect(file).toMatchObject({ filename: 'out.txt', title: 'Output', channel: ops.id, completed: true });
    expect(file.content?.toString()).toBe('line 1\nline 2');
  });

  it('signs HTTP-mode requests like Slack (documented test vector)', () => {
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(signSlackRequest('8f742231b10e8888abcd99yyyzzz85a5', 1531420618, body)).toBe(
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    );
  });
});
