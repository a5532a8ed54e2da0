import { setTimeout as sleep } from 'node:timers/promises';
import { definePlugin } from '@chatops/core';

/** `slow <id>`: a handler that takes 200 ms (a typical API call), then answers `done <id>`. */
export default definePlugin({
  name: 'slow',
  setup(bot) {
    bot.command({
      name: 'slow',
      args: '<id>',
      effect: 'read',
      summary: 'Answers after 200 ms',
      run: async (ctx) => {
        await sleep(200, undefined, { signal: ctx.signal });
        return { text: `done ${ctx.args.id}` };
      },
    });
  },
});
