import { definePlugin } from '@chatops/core';

/** `echo <id>`: answers `done <id>` at once, so the robot's own cost is what is measured. */
export default definePlugin({
  name: 'echo',
  setup(bot) {
    bot.command({
      name: 'echo',
      args: '<id>',
      effect: 'read',
      summary: 'Answers done <id>',
      run: (ctx) => ({ text: `done ${ctx.args.id}` }),
    });
  },
});
