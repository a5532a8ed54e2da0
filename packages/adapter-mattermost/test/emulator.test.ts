import mattermostClient from '@mattermost/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { type EmulatedUser, MattermostEmulator, type TeamRecord } from '../src/emulator/index.js';
import { eventually } from './support/robot.js';

const { Client4, WebSocketClient } = mattermostClient;

/** A raw socket with a queue of the frames it received. */
async function openSocket(url: string, headers: Record<string, string> = {}) {
  const socket = new WebSocket(url, { headers });
  const frames: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  socket.on('message', (raw) => {
    frames.push(JSON.parse(raw.toString()));
    for (const wake of waiters.splice(0)) wake();
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const next = async (): Promise<Record<string, unknown>> => {
    while (frames.length === 0) await new Promise<void>((resolve) => waiters.push(resolve));
    return frames.shift()!;
  };
  return { socket, next };
}

describe('Mattermost emulator', () => {
  let mm: MattermostEmulator;
  let team: TeamRecord;
  let bot: EmulatedUser;
  let alice: EmulatedUser;

  beforeEach(async () => {
    mm = await MattermostEmulator.start();
    team = mm.addTeam('acme');
    bot = mm.addBot('opsbot');
    alice = mm.addUser({ username: 'alice', email: 'alice@example.com' });
  });
  afterEach(async () => {
    await mm.close();
  });

  function clientFor(user: EmulatedUser) {
    const client = new Client4();
    client.setUrl(mm.url);
    client.setToken(user.token);
    return client;
  }

  it('answers Client4 with parsed JSON and AppError bodies', async () => {
    const me = await clientFor(bot).getMe();
    expect(me).toMatchObject({ id: bot.id, username: 'opsbot', is_bot: true, email: 'opsbot@localhost' });
    const other = await clientFor(bot).getUser(alice.id);
    expect(other.email).toBe('alice@example.com');

    const anonymous = new Client4();
    anonymous.setUrl(mm.url);
    await expect(anonymous.getMe()).rejects.toMatchObject({
      server_error_id: 'api.context.session_expired.app_error',
      status_code: 401,
    });
  });

  it('creates posts with the root_id and length rules', async () => {
    const ops = mm.addChannel(team, 'ops', [bot, alice]);
    const client = clientFor(alice);
    const root = await client.createPost({ channel_id: ops.id, message: 'root' } as never);
    const reply = await client.createPost({
      channel_id: ops.id,
      message: 'reply',
      root_id: root.id,
    } as never);
    expect(reply.root_id).toBe(root.id);
    await expect(
      client.createPost({ channel_id: ops.id, message: 'nested', root_id: reply.id } as never),
    ).rejects.toMatchObject({ server_error_id: 'api.post.create_post.root_id.app_error', status_code: 400 });
    await expect(
      client.createPost({ channel_id: ops.id, message: 'x'.repeat(16384) } as never),
    ).rejects.toMatchObject({
      server_error_id: 'model.post.is_valid.message_length.app_error',
    });
    const since = await client.getPostsSince(ops.id, 0);
    expect(since.order).toEqual([reply.id, root.id]);
  });

  it('refuses requests on demand with a plain-text 429', async () => {
    mm.rateLimit({ times: 1, retryAfterSeconds: 3 });
    const response = await fetch(`${mm.url}/api/v4/users/me`, {
      headers: { Authorization: `Bearer ${bot.token}` },
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('retry-after')).toBe('3');
    expect(await response.text()).toBe('limit exceeded\n');
    const again = await fetch(`${mm.url}/api/v4/users/me`, {
      headers: { Authorization: `Bearer ${bot.token}` },
    });
    expect(again.headers.get('content-type')).toBe('application/json');
  });

  it('authenticates sockets by challenge, then sends hello at seq 0 and posted with a JSON-string post', async () => {
    const ops = mm.addChannel(team, 'ops', [bot, alice]);
    const { socket, next } = await openSocket(`${mm.url.replace('http', 'ws')}/api/v4/websocket`);
    socket.send(JSON.stringify({ seq: 1, action: 'authentication_challenge', data: { token: bot.token } }));
    const hello = await next();
    expect(hello).toMatchObject({ event: 'hello', seq: 0 });
    expect(await next()).toEqual({ status: 'OK', seq_reply: 1 });
    mm.post(alice, ops, '@opsbot ping');
    const posted = await next();
    expect(posted).toMatchObject({ event: 'posted', seq: 1, broadcast: { channel_id: ops.id } });
    const data = posted.data as Record<string, unknown>;
    expect(typeof data.post).toBe('string');
    expect(JSON.parse(data.post as string)).toMatchObject({ message: '@opsbot ping', user_id: alice.id });
    expect(data.mentions).toBe(JSON.stringify([bot.id]));
    socket.close();
  });

  it('replays missed events to a header-authenticated socket that resumes, and not after a restart', async () => {
    const ops = mm.addChannel(team, 'ops', [bot, alice]);
    const base = `${mm.url.replace('http', 'ws')}/api/v4/websocket`;
    const headers = { Authorization: `Bearer ${bot.token}` };
    const first = await openSocket(base, headers);
    const hello = await first.next();
    const connectionId = (hello.data as { connection_id: string }).connection_id;
    mm.dropConnections(bot.id);
    const missed = mm.post(alice, ops, 'while away');

    const resumed = await openSocket(`${base}?connection_id=${connectionId}&sequence_number=1`, headers);
    const replayed = await resumed.next();
    expect(replayed).toMatchObject({ event: 'posted', seq: 1 });
    expect(JSON.parse((replayed.data as { post: string }).post).id).toBe(missed.id);
    expect(mm.socket.sockets.at(-1)).toMatchObject({ resumed: true, connectionId });

    mm.restart();
    const fresh = await openSocket(`${base}?connection_id=${connectionId}&sequence_number=2`, headers);
    const newHello = await fresh.next();
    expect(newHello).toMatchObject({ event: 'hello', seq: 0 });
    expect((newHello.data as { connection_id: string }).connection_id).not.toBe(connectionId);
    fresh.socket.close();
  });

  it('posts custom slash commands as a form with the token and applies the response', async () => {
    const ops = mm.addChannel(team, 'ops', [bot, alice]);
    const { createServer } = await import('node:http');
    const received: string[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        received.push(body);
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ response_type: 'in_channel', text: 'pong' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const command = mm.addCommand(team, 'opsbot', `http://127.0.0.1:${port}/cmd`);
    await clientFor(alice).executeCommand('/opsbot ping uat', {
      channel_id: ops.id,
      team_id: team.id,
    } as never);
    server.close();
    const form = new URLSearchParams(received[0]);
    expect(form.get('token')).toBe(command.token);
    expect(form.get('command')).toBe('/opsbot');
    expect(form.get('text')).toBe('ping uat');
    expect(mm.integrationCalls[0]?.headers.Authorization).toBe(`Token ${command.token}`);
    expect(mm.postsIn(ops).at(-1)).toMatchObject({
      message: 'pong',
      user_id: alice.id,
      props: { from_webhook: 'true' },
    });
  });

  it('serves the official WebSocketClient: challenge, hello, posted, and a new hello after a restart', async () => {
    // Node 22 has no global CloseEvent (Node 23 added it); the shims the reference lists for
    // @mattermost/client's WebSocketClient.
    const globals = globalThis as Record<string, unknown>;
    globals.WebSocket ??= WebSocket;
    globals.CloseEvent ??= class CloseEvent extends Event {
      code: number;
      reason: string;
      wasClean: boolean;
      constructor(type: string, init: { code?: number; reason?: string; wasClean?: boolean } = {}) {
        super(type);
        this.code = init.code ?? 0;
        this.reason = init.reason ?? '';
        this.wasClean = Boolean(init.wasClean);
      }
    };
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const ops = mm.addChannel(team, 'ops', [bot, alice]);
    const client = new WebSocketClient({ minWebSocketRetryTime: 20, reconnectJitterRange: 10 });
    const events: { event: string; data: Record<string, unknown> }[] = [];
    let missed = 0;
    client.addMessageListener((message) => events.push(message as never));
    client.addMissedMessageListener(() => {
      missed += 1;
    });
    client.initialize(`${mm.url.replace('http', 'ws')}/api/v4/websocket`, bot.token);
    try {
      await eventually(() => events.some((e) => e.event === 'hello'));
      mm.post(alice, ops, 'hello bot');
      await eventually(() => events.some((e) => e.event === 'posted'));
      expect(JSON.parse(events.find((e) => e.event === 'posted')!.data.post as string).message).toBe(
        'hello bot',
      );
      mm.restart();
      await eventually(() => missed === 1);
      mm.post(alice, ops, 'after restart');
      await eventually(() => events.filter((e) => e.event === 'posted').length === 2);
      expect(mm.socket.sockets.every((socket) => socket.auth === 'challenge')).toBe(true);
    } finally {
      client.close();
    }
  });

  it('opens a dialog only with a fresh trigger id, for the user it was issued to', async () => {
    const ops = mm.addChannel(team, 'ops', [bot, alice]);
    const open = (triggerId: string) =>
      fetch(`${mm.url}/api/v4/actions/dialogs/open`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bot.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          trigger_id: triggerId,
          url: 'http://127.0.0.1:9/dialogs',
          dialog: { callback_id: 'c', title: 'Sure?', elements: [], state: 's' },
        }),
      });
    const { socket, next } = await openSocket(`${mm.url.replace('http', 'ws')}/api/v4/websocket`, {
      authorization: `Bearer ${alice.token}`,
    });
    expect(await next()).toMatchObject({ event: 'hello' });

    const unknown = await open('not-a-trigger');
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({
      id: 'interactive_message.decode_trigger_id.signature_decode_failed',
    });
    const response = await open(mm.dialogs.issueTrigger(alice.id, ops.id));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'OK' });
    const event = await next();
    expect(event).toMatchObject({ event: 'open_dialog', broadcast: { user_id: alice.id } });
    expect(JSON.parse((event.data as { dialog: string }).dialog)).toMatchObject({
      url: 'http://127.0.0.1:9/dialogs',
      dialog: { title: 'Sure?', state: 's' },
    });
    expect(mm.dialogs.lastFor(alice.id)?.channelId).toBe(ops.id);
    socket.close();
  });

  it('refuses a trigger id older than the trigger timeout', async () => {
    const strict = await MattermostEmulator.start({ dialogTriggerTimeoutMs: -1 });
    try {
      const user = strict.addUser({ username: 'carol' });
      const response = await fetch(`${strict.url}/api/v4/actions/dialogs/open`, {
        method: 'POST',
        headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          trigger_id: strict.dialogs.issueTrigger(user.id, 'x'),
          url: 'http://127.0.0.1:9/dialogs',
          dialog: { title: 'Sure?' },
        }),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ id: 'interactive_message.decode_trigger_id.expired' });
    } finally {
      await strict.close();
    }
  });
});
