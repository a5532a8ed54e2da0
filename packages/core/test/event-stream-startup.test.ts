import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Incoming } from '../src/chat/incoming.js';
import type { DispatchResult } from '../src/pipeline/outcome.js';
import { definePlugin } from '../src/plugins/plugin.js';
import { RedisStore } from '../src/store/redis-store.js';
import { MemoryAdapter } from '../src/testing/memory-adapter.js';
import { RedisServer } from '../src/testing/redis-server.js';
import { createTestBot } from '../src/testing/test-bot.js';

/** An adapter whose connection delivers an event while the robot is still starting. */
class EarlyEventAdapter extends MemoryAdapter {
  readonly duringStart: DispatchResult[] = [];

  constructor(private readonly early: Incoming) {
    super();
  }

  override async start(): Promise<void> {
    this.duringStart.push(await this.host!.receive(this.early));
    await super.start();
  }
}

const hello = definePlugin({
  name: 'hello',
  setup(bot) {
    bot.command({ name: 'hello', effect: 'read', summary: 'Greets', run: () => 'hello there' });
  },
});

let redis: RedisServer;

beforeAll(async () => {
  redis = await RedisServer.start();
});

afterAll(async () => {
  await redis?.stop();
});

describe('the Redis event stream while the robot starts', () => {
  it('takes an event that arrives before the robot is ready into the stream, and answers it once ready', async () => {
    const prefix = 'startup:';
    const adapter = new EarlyEventAdapter({
      type: 'message',
      platform: 'shell',
      user: { id: 'alice', name: 'alice' },
      conversation: { id: 'D-alice', name: 'alice', kind: 'dm' },
      text: 'hello',
      addressed: true,
      eventId: 'Ev-early',
    });
    const bot = await createTestBot({
      adapter: adapter.module(),
      plugins: [hello],
      store: await RedisStore.open({ url: redis.url, prefix }),
      config: { store: { type: 'redis', url: redis.url, prefix } },
    });
    const inRedis = await RedisStore.open({ url: redis.url, prefix });
    try {
      expect(adapter.duringStart.map((result) => result.status)).toEqual(['queued']);
      await vi.waitFor(
        () => expect(adapter.messages.map((message) => message.text)).toContain('hello there'),
        {
          timeout: 5000,
        },
      );
      const info = (await inRedis.redis.xinfo('STREAM', `${prefix}events`)) as unknown[];
      expect(Number(info[info.indexOf('entries-added') + 1])).toBe(1);
      expect(adapter.messages.filter((message) => message.text === 'hello there')).toHaveLength(1);
    } finally {
      await inRedis.close();
      await bot.close();
    }
  });
});
