import { RedisStore } from '@chatops/core/internal';
import { type AdapterTestBot, RedisServer } from '@chatops/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackEmulator } from '../src/emulator/index.js';
import { state } from './fixtures/ops-plugin.mjs';
import { entriesAdded, holdWrites, redisAtAck } from './support/redis-at-ack.js';
import { startRobot } from './support/robot.js';
import { settle } from './support/settle.js';

describe('Slack HTTP mode on a Redis store (durable intake)', () => {
  let redis: RedisServer;
  let slack: SlackEmulator;
  let bot: AdapterTestBot;
  let inRedis: RedisStore;

  beforeAll(async () => {
    state.runs.length = 0;
    redis = await RedisServer.start();
    slack = await SlackEmulator.start();
    bot = await startRobot(slack, {
      http: true,
      slack: { mode: 'http', signingSecret: slack.signingSecret },
      redis: { url: redis.url, prefix: 'http:' },
    });
    slack.useHttpMode(bot.robot.http!.url()!);
    inRedis = await RedisStore.open({ url: redis.url, prefix: 'http:' });
  });

  afterAll(async () => {
    await inRedis?.close();
    await bot?.close();
    await slack?.close();
    await redis?.stop();
  });

  it('answers an event 200 only once it is in the shared stream', async () => {
    expect(bot.robot.events).toBeDefined();
    const addedBefore = await entriesAdded(inRedis);
    await holdWrites(inRedis, 500);
    const injected = slack.directMessage({ user: 'alice', text: 'count http-paused' });
    const { outcome, claimed, added } = await redisAtAck(inRedis, injected.deliveries[0]!);
    expect(outcome).toMatchObject({ acked: true, attempt: 0 });
    expect(claimed).toBe(1);
    expect(added).toBe(addedBefore + 1);
    await slack.waitForCall('chat.postMessage');
    await settle(slack, bot);
    expect(state.runs).toEqual(['count http-paused']);
  });
});
