import { definePlugin } from '@chatops/core';
import { hubotConfigSchema } from './config.js';
import { HubotRobot } from './robot.js';

/**
 * The plugin the robot loads for a `hubot:` config block: it loads the brain from the store, then the
 * configured scripts, and saves the brain at shutdown.
 */
export const hubotCompat = definePlugin({
  name: 'hubot',
  config: hubotConfigSchema,
  async setup(bot, config) {
    const robot = new HubotRobot(bot, config);
    await robot.brain.load(config.brainSaveEvery);
    await robot.loadScripts(config.scripts, bot.configDir);
    // As a brain store (hubot-redis-brain) does once connected: scripts initialize their keys on `loaded`.
    robot.brain.emit('loaded', robot.brain.data);
    robot.emit('running');
    return async () => {
      await robot.brain.close();
      robot.events.removeAllListeners();
    };
  },
});
