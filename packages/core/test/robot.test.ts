import { afterEach, describe, expect, it } from 'vitest';
import { definePlugin, UsageError, UserFacingError } from '../src/plugins/plugin.js';
import { createTestBot, replyHabitsPlugin, type TestBot } from '../src/testing/index.js';

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

const echo = definePlugin({
  name: 'echo',
  setup(b) {
    b.command({
      name: 'echo',
      args: '<words...>',
      effect: 'read',
      summary: 'echo',
      run: (ctx) => (ctx.args['words'] as string[]).join(' '),
    });
    b.command({
      name: 'boom',
      effect: 'read',
      summary: 'throws',
      run: () => {
        throw new Error('secret internals at line 42');
      },
    });
    b.command({
      name: 'picky',
      args: '<n>',
      effect: 'read',
      summary: 'usage error from the handler',
      run: (ctx) => {
        if (ctx.args['n'] !== '1') throw new UsageError('n must be 1');
        return 'one';
      },
    });
    b.command({
      name: 'nope',
      effect: 'read',
      summary: 'user-facing error',
      run: () => {
        throw new UserFacingError('That environment is locked.');
      },
    });
    b.command({
      name: 'slow',
      effect: 'read',
      summary: 'progress',
      run: async (ctx) => {
        const ref = await ctx.progress('step 1');
        await ctx.progress('step 2');
        await ctx.update(ref!, 'done');
      },
    });
    b.command({
      name: 'twice',
      effect: 'read',
      summary: 'nested',
      run: async (ctx) => void (await ctx.execute('echo nested call')),
    });
    b.command({
      name: 'alert',
      effect: 'read',
      summary: 'notify',
      run: async () => void (await b.notify('ops', 'disk full')),
    });
  },
});

describe('robot', () => {
  it('answers addressed commands from a DM, the name, a mention and the prefix', async () => {
    bot = await createTestBot({ plugins: [echo], config: { prefix: '!' } });
    expect((await bot.say('alice', 'echo hi'))[0]?.text).toBe('hi');
    expect((await bot.say('alice', 'opsbot echo by name', { channel: 'ops', ambient: true }))[0]?.text).toBe(
      'by name',
    );
    expect(
      (await bot.say('alice', '@opsbot: echo mention', { channel: 'ops', ambient: true }))[0]?.text,
    ).toBe('mention');
    expect((await bot.say('alice', '!echo prefixed', { channel: 'ops', ambient: true }))[0]?.text).toBe(
      'prefixed',
    );
    expect(await bot.say('alice', 'echo not for the bot', { channel: 'ops', ambient: true })).toEqual([]);
    expect(bot.lastResult?.status).toBe('ignored');
  });

  it('suggests commands for an unknown one, privately', async () => {
    bot = await createTestBot({ plugins: [echo] });
    const [reply] = await bot.say('alice', 'ecoh hi');
    expect(reply?.text).toBe('Unknown command "ecoh". Did you mean `echo`?');
    expect(reply?.private).toBe(true);
    expect(bot.lastResult?.status).toBe('unknown');
  });

  it('contains a handler that throws: a short error with the correlation id, no internals', async () => {
    bot = await createTestBot({ plugins: [echo] });
    const [reply] = await bot.say('alice', 'boom');
    expect(reply?.text).toContain(`(ref ${bot.lastResult?.correlationId})`);
    expect(reply?.text).not.toContain('secret internals');
    expect(bot.lastResult?.status).toBe('error');
    expect((await bot.say('alice', 'echo still alive'))[0]?.text).toBe('still alive');
  });

  it('shows usage for bad args and handler usage errors, and user-facing errors as they are', async () => {
    bot = await createTestBot({ plugins: [echo] });
    expect((await bot.say('alice', 'echo'))[0]?.text).toBe(
      '[WARN] missing <words...>. Usage: echo <words...>\nTry: help echo',
    );
    expect(bot.lastResult?.status).toBe('usage');
    expect((await bot.say('alice', 'picky 2'))[0]?.text).toBe('[WARN] n must be 1. Usage: picky <n>');
    expect((await bot.say('alice', 'nope'))[0]?.text).toBe('[FAIL] That environment is locked.');
  });

  it('keeps progress in one message, updated in place', async () => {
    bot = await createTestBot({ plugins: [echo] });
    const messages = await bot.say('alice', 'slow');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ text: 'done', updates: 2 });
  });

  it('runs a nested command line through the pipeline as the same user', async () => {
    bot = await createTestBot({ plugins: [echo] });
    const messages = await bot.say('alice', 'twice');
    expect(messages.map((message) => message.text)).toEqual(['nested call']);
    expect(bot.audit.filter((record) => record.target === 'echo').map((record) => record.principal)).toEqual([
      'shell:alice',
      'shell:alice',
    ]);
  });

  it('posts notifications to the route of the active adapter', async () => {
    bot = await createTestBot({
      plugins: [echo],
      config: { notifications: { ops: { shell: ['#ops', 'oncall'] } } },
    });
    const messages = await bot.say('alice', 'alert');
    expect(messages.map((message) => message.conversation.id)).toEqual(['ops', 'oncall']);
  });

  it('contains a plugin whose setup fails: reported, and everything it registered is taken back', async () => {
    const seen: string[] = [];
    const broken = definePlugin({
      name: 'broken',
      setup(b) {
        b.command({ name: 'leftover', effect: 'read', summary: 'x', run: () => 'still here' });
        b.action('broken.click', { effect: 'read', run: () => 'clicked' });
        b.hear(/leftover-listener/, { effect: 'read', run: () => 'heard' });
        b.use(async (ctx, next) => {
          seen.push(ctx.invocation.name);
          await next();
        });
        b.every('1h', 'broken.job', () => undefined);
        throw new Error('cannot reach the database');
      },
    });
    bot = await createTestBot({ plugins: [broken, echo], allowPluginFailures: true });
    const status = bot.robot.plugins.map((plugin) => [plugin.name, plugin.loaded, plugin.error]);
    expect(status).toContainEqual(['broken', false, 'cannot reach the database']);
    expect((await bot.say('alice', 'echo ok'))[0]?.text).toBe('ok');
    expect((await bot.say('alice', 'leftover'))[0]?.text).toContain('Unknown command "leftover"');
    expect(await bot.say('alice', 'leftover-listener', { channel: 'ops', ambient: true })).toEqual([]);
    expect(bot.robot.router.action('broken.click')).toBeUndefined();
    await expect(bot.runJob('broken.job')).rejects.toThrow(/no scheduled job named "broken.job"/);
    expect(seen).toEqual([]);
    expect((await bot.say('alice', 'status'))[0]?.text).toContain('failed: cannot reach the database');
  });

  it('refuses to start when a plugin block of the config is invalid, naming the key', async () => {
    const { z } = await import('zod');
    const strict = definePlugin({ name: 'strict', config: z.object({ url: z.string() }), setup() {} });
    await expect(createTestBot({ plugins: [[strict, { url: 5 }], echo] })).rejects.toThrow(
      /^config error: plugins\.strict\.url: /,
    );
  });

  it('runs plugin middleware in order, and a middleware can stop the request', async () => {
    const order: string[] = [];
    const mw = definePlugin({
      name: 'mw',
      setup(b) {
        b.use(async (ctx, next) => {
          order.push(`a:${ctx.invocation.name}`);
          await next();
          order.push('a:after');
        });
        b.use(async (ctx, next) => {
          order.push('b');
          if (ctx.invocation.name === 'boom') return;
          await next();
        });
      },
    });
    bot = await createTestBot({ plugins: [echo, mw] });
    await bot.say('alice', 'echo x');
    expect(order).toEqual(['a:echo', 'b', 'a:after']);
    order.length = 0;
    expect(await bot.say('alice', 'boom')).toEqual([]);
    expect(order).toEqual(['a:boom', 'b', 'a:after']);
    expect(bot.lastResult?.status).toBe('denied');
  });

  it('renders card actions as signed buttons and runs the clicked action', async () => {
    const cards = definePlugin({
      name: 'cards',
      setup(b) {
        b.command({
          name: 'card',
          effect: 'read',
          summary: 'card',
          run: () => ({ title: 'T', actions: [{ label: 'Go', action: 'cards.go', args: { n: 1 } }] }),
        });
        b.action('cards.go', { effect: 'read', run: (ctx) => `went ${String(ctx.args['n'])}` });
      },
    });
    bot = await createTestBot({ plugins: [cards] });
    const [card] = await bot.say('alice', 'card');
    expect(card?.card.actions[0]).toMatchObject({ label: 'Go', style: 'default', effect: 'read' });
    expect(card?.card.actions[0]?.token).toMatch(/^v1\./);
    const [updated] = await bot.click(card!, 'Go', 'bob');
    expect(updated).toBe(card);
    // The outcome is added to the clicked card; a read button stays usable.
    expect(updated?.text).toBe('T\nwent 1\n[Go]\nby @bob');
    expect(updated?.card).toMatchObject({ title: 'T', text: 'went 1', footer: 'by @bob' });
  });

  it('posts exactly the intended messages when a handler returns what ctx.reply returns', async () => {
    bot = await createTestBot({
      plugins: [replyHabitsPlugin],
      config: { auth: { rules: [{ allow: 'hubot.deploy', roles: ['*'] }] } },
    });
    expect((await bot.say('alice', 'hi')).map((message) => message.text)).toEqual(['hello']);
    expect(await bot.say('alice', 'blank')).toEqual([]);
    const [card] = await bot.say('alice', 'offer');
    const noted = await bot.click(card!, 'Note', 'bob');
    expect(noted.map((message) => message.text)).toEqual(['noted']);
    expect(card!.updates).toBe(0);

    await bot.click(card!, 'Deploy', 'bob');
    expect(card!.card).toMatchObject({
      title: 'Deploy api?',
      text: 'Ready to roll out.\n\nDeployed api',
      status: 'ok',
      footer: 'by @bob',
    });
    expect(card!.card.actions.map((action) => action.label)).toEqual(['Note']);
    expect(bot.messages).toHaveLength(3);
    for (const message of bot.messages) expect(message.text.trim()).not.toBe('');
  });

  it('runs scheduled jobs registered by plugins', async () => {
    let runs = 0;
    const jobs = definePlugin({
      name: 'jobs',
      setup(b) {
        b.every('1h', 'jobs.count', () => {
          runs += 1;
        });
      },
    });
    bot = await createTestBot({ plugins: [jobs] });
    await bot.runJob('jobs.count');
    await bot.runJob('jobs.count');
    expect(runs).toBe(2);
  });

  it('drops a duplicate delivery of the same event', async () => {
    bot = await createTestBot({ plugins: [echo] });
    const incoming = {
      type: 'message' as const,
      platform: 'shell',
      user: { id: 'alice', name: 'alice' },
      conversation: { id: 'dm', kind: 'dm' as const },
      text: 'echo once',
      addressed: true,
      eventId: 'Ev1',
    };
    expect((await bot.adapter.host!.receive(incoming)).status).toBe('ok');
    expect((await bot.adapter.host!.receive(incoming)).status).toBe('ignored');
    expect(bot.messages.filter((message) => message.text === 'once')).toHaveLength(1);
  });

  it('ignores bots unless allowed', async () => {
    bot = await createTestBot({ plugins: [echo] });
    const result = await bot.adapter.host!.receive({
      type: 'message',
      platform: 'shell',
      user: { id: 'ci', name: 'ci', isBot: true },
      conversation: { id: 'dm', kind: 'dm' },
      text: 'echo hi',
      addressed: true,
    });
    expect(result.status).toBe('ignored');
  });
});

describe('sending to people and channels', () => {
  it('ctx.send to @name opens a DM; to #name posts in the channel', async () => {
    const sender = definePlugin({
      name: 'sender',
      setup(b) {
        b.command({
          name: 'tell',
          args: '<to>',
          effect: 'read',
          summary: 'send',
          run: async (ctx) => void (await ctx.send(String(ctx.args['to']), 'psst')),
        });
      },
    });
    bot = await createTestBot({ plugins: [sender] });
    const [dm] = await bot.say('alice', 'tell @bob');
    expect(dm?.conversation).toEqual({ id: 'bob', name: '@bob', kind: 'dm' });
    const [channel] = await bot.say('alice', 'tell #ops');
    expect(channel?.conversation).toEqual({ id: 'ops', name: 'ops', kind: 'channel' });
  });
});
