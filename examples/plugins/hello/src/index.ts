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
      run: (ctx) => {
        const times = Number(ctx.args['times']);
        if (!Number.isInteger(times) || times < 1 || times > 5)
          throw new UsageError('--times must be 1 to 5');
        let text = `${config.greeting}, ${String(ctx.args['name'])}!`;
        if (ctx.args['loud']) text = text.toUpperCase();
        return {
          title: 'Greeting',
          status: 'ok',
          text: Array.from({ length: times }, () => text).join(' '),
          actions: [{ label: 'Wave back', action: 'hello.wave', args: { to: ctx.user.name } }],
        };
      },
    });

    bot.action('hello.wave', {
      effect: 'read',
      run: (ctx) => ({ text: `${ctx.user.name} waves back at ${String(ctx.args['to'])}.`, status: 'info' }),
    });
  },
});
