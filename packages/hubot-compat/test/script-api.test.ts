import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestBot } from '@chatops/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { compatBot } from './support/compat-bot.js';

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

const texts = (messages: { text: string }[]) => messages.map((message) => message.text);
const read = (path: string) => ({ path, effect: 'read' });

describe('Response and listeners', () => {
  it('stops at finish(), replies by name, emotes and picks at random', async () => {
    bot = await compatBot({ scripts: [read('./scripts/flow.js')] });
    expect(texts(await bot.say('alice', 'first'))).toEqual(['first listener']);
    expect(texts(await bot.say('alice', 'greet'))).toEqual(['alice: hello', '_waves_']);
  });

  it('runs a robot.listen matcher on the message, with its match and room', async () => {
    bot = await compatBot({ scripts: [read('./scripts/flow.js')] });
    const replies = await bot.say('alice', '%%custom words', { channel: 'ops', ambient: true });
    expect(texts(replies)).toEqual(['listened: custom words in ops']);
  });

  it('delivers robot.on/emit events and messageRoom to a named room', async () => {
    bot = await compatBot({ scripts: [read('./scripts/flow.js')] });
    await bot.say('alice', 'emit now');
    const event = bot.messages.find((message) => message.text === 'event for bob');
    expect(event?.conversation.id).toBe('ops');
  });

  it('contains a listener that throws: error handlers run, the user gets a reference, the audit says error', async () => {
    bot = await compatBot({ scripts: [read('./scripts/flow.js')] });
    const replies = texts(await bot.say('alice', 'explode'));
    expect(replies).toContain('the script hit an error');
    expect(replies.some((text) => /Something went wrong running "explode" \(ref /.test(text))).toBe(true);
    expect(bot.lastResult?.status).toBe('error');
    expect(bot.audit.at(-1)).toMatchObject({ permission: 'hubot.flow.explode', outcome: 'error' });
    expect(texts(await bot.say('alice', 'greet'))).toEqual(['alice: hello', '_waves_']);
  });

  it('keeps loading the other scripts when one throws at load', async () => {
    bot = await compatBot({
      scripts: [
        read('./scripts/broken.js'),
        read('./scripts/deploy.js'),
        read('./not-a-script.js'),
        read('./scripts/flow.js'),
      ],
    });
    expect(texts(await bot.say('alice', 'first'))).toEqual(['first listener']);
    expect(bot.robot.router.listeners.get('hubot.deploy.deploy')).toBeDefined();
    expect(bot.robot.plugins.find((plugin) => plugin.name === 'hubot')?.loaded).toBe(true);
  });

  it('loads more scripts with robot.load and robot.loadExternalScripts, under the calling script', async () => {
    bot = await compatBot({ scripts: [read('./scripts/loader.js')] });
    expect(texts(await bot.say('alice', 'hello'))).toEqual(['hello from a loaded folder']);
    expect(texts(await bot.say('alice', 'the rules')).join('\n')).toContain('A robot may not harm humanity');
    expect(bot.audit.map((record) => record.permission)).toEqual([
      'hubot.loader.1',
      'hubot.loader.1',
      'hubot.loader.2',
      'hubot.loader.2',
    ]);
  });

  it('answers what nothing understood with catchAll, and only that', async () => {
    bot = await compatBot({ scripts: [read('./scripts/catch-all.js'), read('./scripts/flow.js')] });
    expect(texts(await bot.say('alice', 'make me a sandwich'))).toEqual([
      `Sorry, I don't know "make me a sandwich"`,
    ]);
    expect(texts(await bot.say('alice', 'first'))).toEqual(['first listener']);
    expect(texts(await bot.say('alice', 'whoami')).join('\n')).not.toContain('Sorry');
    expect(await bot.say('alice', 'just chatting', { channel: 'ops', ambient: true })).toEqual([]);
  });
});

describe('middleware', () => {
  it('runs receive, listener and response middleware', async () => {
    bot = await compatBot({ scripts: [read('./scripts/middleware.js')] });
    expect(texts(await bot.say('alice', 'token'))).toEqual(['your token is [masked]']);
    expect(await bot.say('alice', 'guarded')).toEqual([]);
    expect(await bot.say('alice', 'please ignore-me', { channel: 'ops', ambient: true })).toEqual([]);
  });
});

describe('robot.brain', () => {
  it('keeps data and users across a restart, in the robot store', async () => {
    const { SqliteStore } = await import('@chatops/core/internal');
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'hubot-brain-'));
    try {
      const first = await SqliteStore.open(join(dir, 'state.db'));
      bot = await compatBot({ scripts: [read('./scripts/brain.js')] }, { store: first });
      expect(texts(await bot.say('alice', 'remember colour blue', { channel: 'ops' }))).toEqual([
        'OK, colour is blue',
      ]);
      await bot.close();
      bot = undefined;

      const second = await SqliteStore.open(join(dir, 'state.db'));
      bot = await compatBot({ scripts: [read('./scripts/brain.js')] }, { store: second });
      expect(texts(await bot.say('bob', 'brain events'))).toEqual(['loaded 1 time(s), counters {}']);
      expect(texts(await bot.say('bob', 'recall colour'))).toEqual(['colour is blue']);
      expect(texts(await bot.say('bob', 'who is alice'))).toEqual(['alice (id alice) was last seen in ops']);
    } finally {
      await bot?.close();
      bot = undefined;
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('robot.http', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  async function listen(handler: (request: IncomingMessage, body: string) => [number, string]) {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        const [status, text] = handler(request, body);
        response.writeHead(status, { 'content-type': 'text/plain' }).end(text);
      });
    });
    await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('GETs with headers and query, and POSTs a body, calling back (err, res, body)', async () => {
    const seen: { method?: string; url?: string; header?: string; agent?: string; body: string }[] = [];
    const url = await listen((request, body) => {
      seen.push({
        method: request.method,
        url: request.url,
        header: request.headers['x-script'] as string,
        agent: request.headers['user-agent'],
        body,
      });
      return [201, 'fine'];
    });
    bot = await compatBot({ scripts: [read('./scripts/http-client.mjs')] });
    expect(texts(await bot.say('alice', `fetch ${url}/status?env=prod`))).toEqual(['201 text/plain fine']);
    expect(seen[0]).toMatchObject({ method: 'GET', url: '/status?env=prod&page=2', header: 'http-client' });
    expect(seen[0]!.agent).toMatch(/^Hubot\//);
    expect(texts(await bot.say('alice', `report ${url}/events all good`))).toEqual(['posted: 201 fine']);
    expect(seen[1]).toMatchObject({ method: 'POST', url: '/events' });
    expect(JSON.parse(seen[1]!.body)).toEqual({ text: 'all good', user: 'alice' });
  });

  it('passes a connection error to the callback', async () => {
    bot = await compatBot({ scripts: [read('./scripts/http-client.mjs')] });
    const [reply] = texts(await bot.say('alice', 'fetch http://127.0.0.1:9/nothing'));
    expect(reply).toMatch(/^failed: /);
  });
});

describe('robot.router', () => {
  it('receives a POST under the prefix and posts to the room it names', async () => {
    bot = await compatBot(
      { scripts: [read('./scripts/webhook.coffee')] },
      { config: { http: { host: '127.0.0.1', port: 0 } } },
    );
    const base = bot.robot.http!.url();
    const response = await fetch(`${base}/hubot/deploys/prod`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ room: 'ops', version: '1.2.3', by: 'ci' }),
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('queued');
    const posted = bot.messages.find((message) => message.text === 'Deployed prod (1.2.3) by ci');
    expect(posted?.conversation.id).toBe('ops');

    const form = await fetch(`${base}/hubot/deploys/uat`, {
      method: 'POST',
      body: new URLSearchParams({ room: 'ops', version: '2', by: 'form' }),
    });
    expect(await form.text()).toBe('queued');

    const failing = await fetch(`${base}/hubot/deploys/boom`);
    expect(failing.status).toBe(500);
    expect(await failing.text()).toBe('internal error');
    expect((await fetch(`${base}/hubot/nothing-here`)).status).toBe(404);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});
