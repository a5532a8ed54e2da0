import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisStore } from '@chatops/core/internal';
import { BotProcess, RedisServer } from '@chatops/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackEmulator } from '../src/emulator/index.js';
import { emulatorSlackBlock, packageDir } from './support/bot-process.js';
import { entriesAdded, holdWrites, redisAtAck } from './support/redis-at-ack.js';
import { blockText } from './support/settle.js';

const opsPlugin = join(packageDir, 'test/fixtures/ops-plugin.mjs');
const replicaPlugin = join(packageDir, '../core/test/fixtures/replica-plugin.mjs');
const INSTANCES = ['bot-1', 'bot-2', 'bot-3'];

/**
 * Three `chatops start` replicas on one Redis, each with its own Socket Mode connection to one Slack
 * app (the emulator hands envelopes to the connections in turn and retries unacked ones on another).
 */
describe('three replicas on Redis behind one Slack app', () => {
  let redis: RedisServer;
  let slack: SlackEmulator;
  let dir: string;
  let ticks: string;
  const replicas = new Map<string, BotProcess>();
  const urls = new Map<string, string>();

  async function startReplica(instance: string): Promise<BotProcess> {
    const config = {
      name: 'opsbot',
      instance,
      adapter: 'slack',
      store: { type: 'redis', url: redis.url, prefix: 'replicas:', eventLease: '2s' },
      audit: { path: join(dir, `audit-${instance}.jsonl`) },
      http: { host: '127.0.0.1', port: 0 },
      log: { level: 'info' },
      secret: 'replica-test-secret-0123456789',
      auth: {
        rateLimit: { burst: 40, perMinute: 1 },
        roles: { admin: [`slack:${slack.user('bob').id}`] },
        rules: [
          { allow: 'ops.restart', roles: ['*'] },
          { allow: 'replica.approved', roles: ['*'], approval: { roles: ['admin'], count: 1 } },
        ],
      },
      slack: emulatorSlackBlock(slack.apiUrl),
      plugins: { [opsPlugin]: {}, [replicaPlugin]: { ticks, instance } },
    };
    const path = join(dir, `${instance}.json`);
    await writeFile(path, JSON.stringify(config, null, 2));
    const bot = new BotProcess(path, {
      cwd: packageDir,
      env: { SLACK_BOT_TOKEN: slack.tokens.bot, SLACK_APP_TOKEN: slack.tokens.app },
    });
    replicas.set(instance, bot);
    const started = await bot.waitForLog((line) => line.msg === 'robot started');
    urls.set(instance, String(started.http));
    return bot;
  }

  /** Bot posts answered 200 whose blocks contain `text`. */
  const postsWith = (text: string) =>
    slack
      .callsTo('chat.postMessage')
      .filter((call) => call.status === 200 && blockText(call.args.blocks).includes(text));
  const waitForPost = (text: string, timeoutMs = 15_000) =>
    slack.waitForCall('chat.postMessage', {
      match: (call) => call.status === 200 && blockText(call.args.blocks).includes(text),
      timeoutMs,
    });
  /** Sends a marker after everything else and waits for it: any duplicate would have come before. */
  async function drain(label: string): Promise<void> {
    await slack.waitUntil(() => slack.outstanding === 0, 'all deliveries acknowledged', 15_000);
    slack.directMessage({ user: 'dave', text: `count marker-${label}` });
    await waitForPost(`counted marker-${label}`);
  }
  /** Which replicas wrote an `allowed` audit line for a command. */
  async function handledBy(command: string): Promise<string[]> {
    const found: string[] = [];
    for (const instance of replicas.keys()) {
      const text = await readFile(join(dir, `audit-${instance}.jsonl`), 'utf8').catch(() => '');
      if (text.split('\n').some((line) => line.includes(`"target":"${command}"`))) found.push(instance);
    }
    return found;
  }

  /** Waits until a replica has started the `work` of one of `labels`, then kills it with kill -9. */
  async function killReplicaWorkingOn(labels: string[]): Promise<void> {
    const working = () =>
      [...replicas].find(([, bot]) =>
        bot.lines.some((line) => line.msg === 'work started' && labels.includes(String(line.label))),
      );
    await waitFor(async () => working() !== undefined, 15_000);
    const [victim, bot] = working()!;
    await bot.kill();
    replicas.delete(victim);
  }

  beforeAll(async () => {
    for (const built of [join(packageDir, '../core/dist/cli/main.js'), join(packageDir, 'dist/index.js')]) {
      if (!existsSync(built)) throw new Error(`${built} is missing: run \`pnpm build\` first`);
    }
    redis = await RedisServer.start();
    slack = await SlackEmulator.start({ timing: { ackTimeoutMs: 1000, retryDelaysMs: [0, 200, 200] } });
    dir = await mkdtemp(join(tmpdir(), 'chatops-replicas-'));
    ticks = join(dir, 'ticks.log');
    slack.addUser({ name: 'dave' });
    await Promise.all(INSTANCES.map((instance) => startReplica(instance)));
    await slack.waitUntil(() => slack.socket.connectionCount === 3, 'three Socket Mode connections');
  });

  afterAll(async () => {
    await Promise.all([...replicas.values()].map((bot) => bot.stop()));
    await slack?.close();
    await redis?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('answers every event of a burst exactly once, spread over the replicas', async () => {
    const labels = Array.from({ length: 30 }, (_, index) => `b${index}x`);
    for (const [index, label] of labels.entries()) {
      slack.directMessage({ user: index % 2 ? 'alice' : 'bob', text: `count ${label}` });
    }
    // A mention in a channel arrives twice (message and app_mention, on two connections).
    slack.mention({ user: 'alice', channel: 'ops', text: 'count mention' });
    for (const label of [...labels, 'mention']) await waitForPost(`counted ${label}`);
    await drain('burst');
    for (const label of [...labels, 'mention']) expect(postsWith(`counted ${label}`)).toHaveLength(1);
    expect((await handledBy('count')).length).toBeGreaterThan(1);
  });

  it('answers a redelivered event once, although the redelivery reaches another replica', async () => {
    const first = slack.directMessage({ user: 'alice', text: 'count redelivered' });
    await first.settled();
    slack.redeliver(first.deliveries[0]!);
    slack.redeliver(first.deliveries[0]!);
    await waitForPost('counted redelivered');
    await drain('redelivered');
    expect(postsWith('counted redelivered')).toHaveLength(1);
  });

  it('acks an event to Slack only once it is in the shared stream', async () => {
    const inRedis = await RedisStore.open({ url: redis.url, prefix: 'replicas:' });
    try {
      const addedBefore = await entriesAdded(inRedis);
      await holdWrites(inRedis, 500);
      const injected = slack.directMessage({ user: 'alice', text: 'count paused-intake' });
      const { outcome, claimed, added } = await redisAtAck(inRedis, injected.deliveries[0]!);
      expect(outcome.acked).toBe(true);
      expect(claimed).toBe(1);
      expect(added).toBe(addedBefore + 1);
      await waitForPost('counted paused-intake');
      await drain('paused-intake');
      expect(postsWith('counted paused-intake')).toHaveLength(1);
    } finally {
      await inRedis.close();
    }
  });

  it('keeps an event that takes longer than the event lease with the replica answering it', async () => {
    slack.directMessage({ user: 'alice', text: 'work 3000 longer-than-lease' });
    await waitForPost('worked longer-than-lease', 15_000);
    await drain('long');
    expect(postsWith('worked longer-than-lease')).toHaveLength(1);
  });

  it('lets a write button work once, whichever replicas the clicks land on', async () => {
    slack.mention({ user: 'alice', channel: 'ops', text: 'ping once' });
    await waitForPost('Pong once');
    const card = slack.botMessages('ops').find((message) => blockText(message.blocks).includes('Pong once'))!;
    for (const user of ['bob', 'alice', 'bob']) slack.click({ user, message: card, button: 'Restart' });
    await slack.waitForCall('chat.update', {
      match: (call) => blockText(call.args.blocks).includes('Restarted once'),
      timeoutMs: 15_000,
    });
    await slack.waitForCall('chat.postEphemeral', { count: 2, timeoutMs: 15_000 });
    await drain('click');
    const restarts = slack
      .callsTo('chat.update')
      .filter((call) => blockText(call.args.blocks).includes('Restarted once'));
    expect(restarts).toHaveLength(1);
    const refusals = slack
      .callsTo('chat.postEphemeral')
      .filter((call) => JSON.stringify(call.args).includes('This button was already used.'));
    expect(refusals).toHaveLength(2);
  });

  it('runs an approval requested through one replica and approved through another once, and says so on the card', async () => {
    slack.mention({ user: 'alice', channel: 'ops', text: 'approved deploy-1' });
    await waitForPost('Approval needed');
    const card = slack
      .botMessages('ops')
      .find((message) => blockText(message.blocks).includes('approved deploy-1'))!;
    slack.click({ user: 'bob', message: card, button: 'Approve' });
    slack.click({ user: 'bob', message: card, button: 'Approve' });
    await waitForPost('approved run deploy-1');
    await slack.waitForCall('chat.update', {
      match: (call) => blockText(call.args.blocks).includes('Approved by @'),
      timeoutMs: 15_000,
    });
    await drain('approval');
    expect(postsWith('approved run deploy-1')).toHaveLength(1);
    const stored = slack.workspace.message(card.channel, card.ts)!;
    expect(blockText(stored.blocks)).toContain('Approval granted');
  });

  it('applies the rate limit to a principal across all replicas', async () => {
    const user = slack.addUser({ name: 'carol' });
    for (let index = 0; index < 44; index++)
      slack.directMessage({ user: user.name, text: `count r${index}x` });
    const answered = () =>
      slack
        .callsTo('chat.postMessage')
        .filter((call) => call.status === 200 && /counted r\d+x/.test(blockText(call.args.blocks))).length;
    const refused = () =>
      slack
        .callsTo('chat.postEphemeral')
        .filter((call) => call.status === 200 && JSON.stringify(call.args).includes('Slow down')).length;
    await slack.waitUntil(() => answered() + refused() >= 44, 'every message answered or refused', 20_000);
    await drain('rate');
    expect({ answered: answered(), refused: refused() }).toEqual({ answered: 40, refused: 4 });
  });

  it('runs each scheduled tick once across the replicas', async () => {
    const before = (await tickLines()).length;
    await waitFor(async () => (await tickLines()).length >= before + 4, 10_000);
    const ticksDue = (await tickLines()).map((tick) => tick.at);
    expect(ticksDue.length).toBeGreaterThanOrEqual(4);
    expect(new Set(ticksDue).size).toBe(ticksDue.length);
  });

  it('loses and doubles nothing when a replica is killed with kill -9 in the middle of a burst', async () => {
    const labels = Array.from({ length: 12 }, (_, index) => `k${index}x`);
    // A user of its own: a replayed event takes a rate-limit token again, and the earlier tests have
    // spent much of bob's and alice's burst of 40 (one more a minute).
    slack.addUser({ name: 'gina' });
    const burst = labels.map((label) => slack.directMessage({ user: 'gina', text: `work 1500 ${label}` }));
    // Every event is in the shared stream (each was acked only once there); the victim is a replica
    // in the middle of answering one of them.
    const eventIds = burst.map((injection) => `chatops:event:slack:${injection.deliveries[0]!.eventId}`);
    const inRedis = await RedisStore.open({ url: redis.url, prefix: 'replicas:' });
    try {
      await waitFor(async () => {
        const seen = new Set(await inRedis.keys('chatops:event:slack:'));
        return eventIds.every((id) => seen.has(id));
      }, 15_000);
    } finally {
      await inRedis.close();
    }
    await killReplicaWorkingOn(labels);
    for (const label of labels) await waitForPost(`worked ${label}`, 30_000);
    await drain('kill');
    for (const label of labels) expect(postsWith(`worked ${label}`)).toHaveLength(1);
    // The scheduled job runs on: a live replica holds it now.
    const killedAt = Date.now();
    await waitFor(async () => (await tickLines()).some((tick) => tick.at > killedAt), 10_000);
    const ticksDue = (await tickLines()).map((tick) => tick.at);
    expect(new Set(ticksDue).size).toBe(ticksDue.length);
  }, 60_000);

  it('loses and doubles no slash command when the replica answering it is killed with kill -9', async () => {
    const labels = Array.from({ length: 8 }, (_, index) => `s${index}x`);
    slack.addUser({ name: 'hana' });
    const commands = labels.map((label) =>
      slack.slashCommand({ user: 'hana', channel: 'dm', text: `work 1500 ${label}` }),
    );
    // Every command reaches the shared stream, under its trigger id, before a replica is killed.
    const inRedis = await RedisStore.open({ url: redis.url, prefix: 'replicas:' });
    try {
      await waitFor(
        async () => (await inRedis.keys('chatops:event:slack:command:')).length >= labels.length,
        15_000,
      );
    } finally {
      await inRedis.close();
    }
    await killReplicaWorkingOn(labels);
    const answers = (label: string) =>
      slack
        .callsTo('response_url')
        .filter((call) => call.status === 200 && blockText(call.args.blocks).includes(`worked ${label}`));
    for (const [index, label] of labels.entries()) {
      await slack.waitForCall('response_url', {
        match: (call) =>
          call.url === commands[index]!.responseUrl!.url &&
          blockText(call.args.blocks).includes(`worked ${label}`),
        timeoutMs: 30_000,
      });
    }
    await drain('slash-kill');
    for (const label of labels) expect(answers(label)).toHaveLength(1);
    // Back to three replicas for the tests that follow.
    await startReplica('bot-6');
  }, 60_000);

  it('fails closed while Redis is down, reports not ready, and runs nothing twice once it is back', async () => {
    // Users of their own: the earlier tests spend alice's and bob's rate-limit tokens (burst 40, one a minute).
    slack.addUser({ name: 'erin' });
    slack.addUser({ name: 'frank' });
    slack.mention({ user: 'frank', channel: 'ops', text: 'ping outage' });
    await waitForPost('Pong outage');
    const card = slack
      .botMessages('ops')
      .find((message) => blockText(message.blocks).includes('Pong outage'))!;
    const unavailable = () =>
      [...slack.callsTo('chat.postMessage'), ...slack.callsTo('chat.postEphemeral')].filter(
        (call) =>
          call.status === 200 && JSON.stringify(call.args).includes('State store unavailable, try again.'),
      ).length;
    await redis.halt();
    try {
      await waitFor(async () => (await readyStatuses()).every((status) => status === 503), 10_000);
      slack.click({ user: 'erin', message: card, button: 'Restart' });
      slack.directMessage({ user: 'frank', text: 'count during-outage' });
      await slack.waitUntil(() => unavailable() === 2, 'two "state store unavailable" replies', 15_000);
    } finally {
      await redis.resume();
    }
    await waitFor(async () => (await readyStatuses()).every((status) => status === 200), 15_000);
    slack.click({ user: 'erin', message: card, button: 'Restart' });
    await slack.waitForCall('chat.update', {
      match: (call) => blockText(call.args.blocks).includes('Restarted outage'),
      timeoutMs: 30_000,
    });
    slack.directMessage({ user: 'frank', text: 'count after-outage' });
    await waitForPost('counted after-outage');
    await drain('outage');
    const restarts = slack
      .callsTo('chat.update')
      .filter((call) => blockText(call.args.blocks).includes('Restarted outage'));
    expect(restarts).toHaveLength(1);
    expect(postsWith('counted during-outage')).toHaveLength(0);
    expect(postsWith('counted after-outage')).toHaveLength(1);
  }, 90_000);

  it('puts the events a replica receives while it starts into the stream: kill -9 right after start loses none', async () => {
    // No replica is connected: Slack holds the events and hands them to the first connection that
    // opens, before that replica has finished starting.
    await Promise.all([...replicas.values()].map((bot) => bot.stop()));
    replicas.clear();
    await slack.waitUntil(() => slack.socket.connectionCount === 0, 'no Socket Mode connection', 15_000);
    // A user and labels of its own, apart from the slash-command test's.
    slack.addUser({ name: 'ivy' });
    const labels = Array.from({ length: 6 }, (_, index) => `boot${index}x`);
    for (const label of labels) slack.directMessage({ user: 'ivy', text: `work 1500 ${label}` });
    const first = await startReplica('bot-4');
    // Every event was acked by the starting replica, so Slack will not send any of them again.
    await slack.waitUntil(() => slack.outstanding === 0, 'all deliveries acknowledged', 15_000);
    await first.kill();
    replicas.delete('bot-4');
    expect(postsWith('worked boot')).toHaveLength(0);
    await startReplica('bot-5');
    for (const label of labels) await waitForPost(`worked ${label}`, 30_000);
    await drain('startup');
    for (const label of labels) expect(postsWith(`worked ${label}`)).toHaveLength(1);
  }, 60_000);

  /** The runs of the scheduled job (replica, when the tick was due), from the file every replica appends to. */
  async function tickLines(): Promise<{ instance: string; at: number }[]> {
    const text = await readFile(ticks, 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [instance, at] = line.split(' ');
        return { instance: instance!, at: Number(at) };
      });
  }

  async function readyStatuses(): Promise<number[]> {
    return Promise.all(
      [...replicas.keys()].map(async (instance) => (await fetch(`${urls.get(instance)}/readyz`)).status),
    );
  }
});

/** Polls (bounded) until `probe` holds. */
async function waitFor(probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
