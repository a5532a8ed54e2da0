import { afterEach, describe, expect, it } from 'vitest';
import { definePlugin, type ErrorOrigin, UsageError, UserFacingError } from '../src/index.js';
import { createTestBot, type TestBot } from '../src/testing/index.js';

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

type Seen = { message: string; origin: Omit<ErrorOrigin, 'ctx'>; user?: string };

function recorder(into: Seen[]) {
  return (error: unknown, origin: ErrorOrigin) => {
    const { ctx, ...rest } = origin;
    into.push({ message: (error as Error).message, origin: rest, ...(ctx ? { user: ctx.user.name } : {}) });
  };
}

const own: Seen[] = [];
const everywhere: Seen[] = [];

const flaky = definePlugin({
  name: 'flaky',
  setup(api) {
    api.onError(recorder(own));
    api.command({
      name: 'crash',
      effect: 'read',
      summary: 'throws',
      run: () => {
        throw new Error('disk on fire');
      },
    });
    api.command({
      name: 'crash later',
      effect: 'read',
      summary: 'rejects',
      run: async () => {
        await Promise.resolve();
        throw new Error('async fire');
      },
    });
    api.command({
      name: 'misuse',
      effect: 'read',
      summary: 'usage and user-facing errors are answers, not failures',
      run: (ctx) => {
        throw ctx.args ? new UsageError('bad call') : new UserFacingError('locked');
      },
    });
    api.hear(/^kaboom$/, {
      effect: 'read',
      run: () => {
        throw new Error('listener fire');
      },
    });
    api.every('1h', 'flaky.job', () => {
      throw new Error('job fire');
    });
    api.onError(() => {
      throw new Error('the hook itself breaks');
    });
  },
});

const observer = definePlugin({
  name: 'observer',
  setup(api) {
    api.onError(recorder(everywhere), { scope: 'robot' });
    api.use(async function strictMiddleware(ctx, next) {
      if (ctx.user.name === 'mallory') throw new Error('middleware fire');
      await next();
    });
  },
});

describe('bot.onError', () => {
  it("calls the plugin's hooks and the robot-wide ones for unexpected errors, then answers as usual", async () => {
    own.length = 0;
    everywhere.length = 0;
    bot = await createTestBot({ plugins: [flaky, observer] });
    const [reply] = await bot.say('alice', 'crash');
    expect(reply?.text).toMatch(/Something went wrong running "crash" \(ref /);
    await bot.say('alice', 'crash later');
    await bot.say('alice', 'misuse');
    await bot.say('bob', 'kaboom', { channel: 'ops', ambient: true });
    await expect(bot.runJob('flaky.job')).rejects.toThrow('job fire');

    const expected: Seen[] = [
      { message: 'disk on fire', origin: { plugin: 'flaky', kind: 'command', name: 'crash' }, user: 'alice' },
      {
        message: 'async fire',
        origin: { plugin: 'flaky', kind: 'command', name: 'crash later' },
        user: 'alice',
      },
      {
        message: 'listener fire',
        origin: { plugin: 'flaky', kind: 'listener', name: 'flaky.listener.1' },
        user: 'bob',
      },
      { message: 'job fire', origin: { plugin: 'flaky', kind: 'job', name: 'flaky.job' } },
    ];
    expect(own).toEqual(expected);
    expect(everywhere).toEqual(expected);
  });

  it('reports a middleware error once, under the plugin that registered the middleware', async () => {
    own.length = 0;
    everywhere.length = 0;
    bot = await createTestBot({ plugins: [flaky, observer] });
    await bot.say('mallory', 'crash');
    expect(everywhere).toEqual([
      {
        message: 'middleware fire',
        origin: { plugin: 'observer', kind: 'middleware', name: 'strictMiddleware' },
        user: 'mallory',
      },
    ]);
    expect(own).toEqual([]);
    expect(bot.lastResult?.status).toBe('error');
  });
});
