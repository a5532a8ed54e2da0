import { definePlugin } from '../plugins/plugin.js';

/**
 * A plugin for adapter tests of what handlers return: `hi` returns what `ctx.reply` returns (the Hubot
 * habit), `blank` returns an empty card, and `offer` posts a card whose buttons answer with a reply
 * (Note, read) and with an outcome (Deploy, write; grant `hubot.deploy` to use it).
 */
export const replyHabitsPlugin = definePlugin({
  name: 'hubot',
  setup(bot) {
    bot.command({
      name: 'hi',
      effect: 'read',
      summary: 'Says hello',
      run: async (ctx) => ctx.reply('hello'),
    });
    bot.command({
      name: 'blank',
      effect: 'read',
      summary: 'Returns an empty card',
      run: () => ({ text: ' ' }),
    });
    bot.command({
      name: 'offer',
      effect: 'read',
      summary: 'Offers a deploy',
      run: () => ({
        title: 'Deploy api?',
        text: 'Ready to roll out.',
        actions: [
          { label: 'Note', action: 'hubot.note' },
          { label: 'Deploy', action: 'hubot.deploy', confirm: false },
        ],
      }),
    });
    bot.action('hubot.note', { effect: 'read', run: async (ctx) => ctx.reply('noted') });
    bot.action('hubot.deploy', { effect: 'write', run: () => ({ text: 'Deployed api', status: 'ok' }) });
  },
});
