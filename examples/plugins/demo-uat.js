// A pretend UAT service for the example config: `GET /demo/uat/health` on the bot's own HTTP server,
// so `ping UAT` answers HEALTHY out of the box. Point the `uat` target at your real UAT instead.
// A plugin can be one plain file: an object with a `name` and a `setup`, no build step.

/** @type {import('@chatops/core').PluginDefinition} */
export default {
  name: 'demo-uat',
  setup(bot) {
    if (!bot.http) {
      bot.log.warn('demo-uat needs the http: block; /demo/uat/health is not served');
      return;
    }
    bot.http.register((app) => {
      app.get('/demo/uat/health', async () => ({ status: 'ok', service: 'uat (demo)' }));
    });
  },
};
