import { hostname } from 'node:os';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../src/config/schema.js';
import { definePlugin } from '../src/plugins/plugin.js';
import { Robot } from '../src/runtime/robot.js';
import { MemoryStore } from '../src/store/memory-store.js';
import { type Store, StoreUnavailableError } from '../src/store/store.js';
import { createTestBot, type TestBot } from '../src/testing/index.js';

/** A memory store that can be taken down: then every call fails as an unreachable Redis does. */
class FlakyStore extends MemoryStore {
  down = false;

  constructor() {
    super();
    for (const method of [
      'get',
      'set',
      'setIfAbsent',
      'compareAndSet',
      'delete',
      'deleteIfEquals',
      'takeToken',
      'keys',
    ] as const) {
      const original = (this[method] as (...args: unknown[]) => Promise<unknown>).bind(this);
      (this as unknown as Record<string, unknown>)[method] = (...args: unknown[]) =>
        this.down
          ? Promise.reject(new StoreUnavailableError(new Error('connect ECONNREFUSED')))
          : original(...args);
    }
  }

  override isAvailable(): boolean {
    return !this.down;
  }
}

const deploys: string[] = [];
const ops = definePlugin({
  name: 'ops',
  setup(bot) {
    bot.command({
      name: 'offer',
      args: '<service>',
      effect: 'read',
      summary: 'Offers a deploy button',
      run: (ctx) => ({
        title: `Deploy ${ctx.args['service']}?`,
        actions: [
          { label: 'Deploy', action: 'ops.deploy', args: { service: ctx.args['service'] }, confirm: false },
        ],
      }),
    });
    bot.action('ops.deploy', {
      effect: 'write',
      run: (ctx) => {
        deploys.push(String(ctx.args['service']));
        return `Deployed ${ctx.args['service']}`;
      },
    });
  },
});

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
  deploys.length = 0;
});

describe('state store unavailable', () => {
  it('fails closed: commands and clicks are refused with a short reply, chatter gets none, nothing runs later', async () => {
    const store = new FlakyStore();
    bot = await createTestBot({
      plugins: [ops],
      store,
      config: { auth: { rules: [{ allow: 'ops.deploy', roles: ['*'] }] } },
    });
    const [card] = await bot.say('alice', 'offer web');
    store.down = true;

    const command = await bot.say('alice', 'offer db');
    expect(command.map((message) => [message.text, message.private])).toEqual([
      ['[FAIL] State store unavailable, try again.', true],
    ]);
    expect(bot.lastResult).toMatchObject({ status: 'error' });
    const click = await bot.click(card!, 'Deploy', 'bob');
    expect(click.map((message) => message.text)).toEqual(['[FAIL] State store unavailable, try again.']);
    expect(deploys).toEqual([]);

    // With a delivery id, the first store call is the de-duplication, before any routing.
    const event = (text: string, addressed: boolean, eventId: string) =>
      bot!.adapter.host!.receive({
        type: 'message',
        platform: 'shell',
        user: { id: 'alice', name: 'alice' },
        conversation: { id: 'random', name: 'random', kind: 'channel' },
        text,
        addressed,
        eventId,
      });
    const before = bot.messages.length;
    expect(await event('lunch anyone?', false, 'Ev1')).toMatchObject({ status: 'error' });
    expect(bot.messages).toHaveLength(before);
    expect(await event('offer api', true, 'Ev2')).toMatchObject({
      status: 'error',
      message: 'state store unavailable',
    });
    expect(bot.messages.at(-1)).toMatchObject({
      text: '[FAIL] State store unavailable, try again.',
      private: true,
    });

    store.down = false;
    await bot.click(card!, 'Deploy', 'bob');
    expect(deploys).toEqual(['web']);
    expect(await event('offer api', true, 'Ev2')).toMatchObject({ status: 'ok' });
  });

  it('refuses inside the pipeline too (a store call in a handler), with the same reply', async () => {
    const store = new FlakyStore();
    const reads = definePlugin({
      name: 'reads',
      setup(b) {
        b.command({
          name: 'remember',
          effect: 'read',
          summary: 'reads the store',
          run: async () => {
            store.down = true;
            return String(await b.store.get('anything'));
          },
        });
      },
    });
    bot = await createTestBot({ plugins: [reads], store, config: { auth: { rateLimit: false } } });
    const replies = await bot.say('alice', 'remember');
    expect(replies.map((message) => message.text)).toEqual(['[FAIL] State store unavailable, try again.']);
  });
});

describe('instance', () => {
  async function robotWith(
    instance: string | undefined,
  ): Promise<{ robot: Robot; lines: Record<string, unknown>[] }> {
    const lines: Record<string, unknown>[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const config = configSchema.parse({
      store: { type: 'memory' },
      audit: { enabled: false },
      ...(instance ? { instance } : {}),
    });
    const robot = new Robot({ config, configDir: process.cwd(), log, store: new MemoryStore() as Store });
    return { robot, lines };
  }

  it('names the replica in every log line and in the metrics; the host name by default', async () => {
    const { robot, lines } = await robotWith('bot-7');
    robot.log.info('hello');
    expect(lines.at(-1)).toMatchObject({ instance: 'bot-7', msg: 'hello' });
    expect(await robot.metrics.registry.metrics()).toContain('chatops_instance_info{instance="bot-7"} 1');
    const fallback = await robotWith(undefined);
    expect(fallback.robot.instance).toBe(hostname());
  });
});
