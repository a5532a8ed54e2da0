import { definePlugin, UsageError } from '@chatops/core';
import { z } from 'zod';

/**
 * `hello <name> [--loud] [--times N]`: a greeting card with a "Wave back" button.
 * Copy this folder to start a plugin of your own.
 */
export default definePlugin({
  name: 'hello',
  config: z.object({
    /** The greeting word. */
    greeting: z.string().default('Hello'),
  }),
  setup(bot, config) {
    bot.command({
      name: 'hello',
      args: '<name>',
      options: {
        loud: { type: 'boolean', description: 'shout it', default: false },
        times: { type: 'number', description: 'how many times', default: 1 },
      },
      effect: 'read',
      summary: 'Greet someone',
      examples: ['hello world', 'hello world --loud --times 2'],
      // ctx.args is typed from `args` and `options`: { name: string; loud: boolean; times: number }.
      run: (ctx) => {
        const { name, loud, times } = ctx.args;
        if (!Number.isInteger(times) || times < 1 || times > 5)
          throw new UsageError('--times must be 1 to 5');
        let text = `${config.greeting}, ${name}!`;
        if (loud) text = text.toUpperCase();
        return {
          title: 'Greeting',
          status: 'ok',
          text: Array.from({ length: times }, () => text).join(' '),
          actions: [{ label: 'Wave back', action: 'hello.wave', args: { to: ctx.user.name } }],
        };
      },
    });

    // The button's args come back as the command put them on it (they are signed).
    bot.action<{ to: string }>('hello.wave', {
      effect: 'read',
      run: (ctx) => ({ text: `${ctx.user.name} waves back at ${ctx.args.to}.`, status: 'info' }),
    });
  },
});
