import type { CommandSpec } from '../plugins/plugin.js';
import type { Robot } from '../runtime/robot.js';
import { formatDuration } from '../shared/duration.js';

/** `status`: version, adapter, uptime, plugins. */
export function statusCommand(robot: Robot): CommandSpec {
  return {
    name: 'status',
    effect: 'read',
    summary: "Show the bot's version, adapter, uptime and plugins",
    run: () => {
      const failed = robot.plugins.filter((plugin) => !plugin.loaded);
      return {
        title: `${robot.name} ${robot.version}`,
        status: failed.length ? 'warn' : 'ok',
        fields: [
          {
            label: 'Adapter',
            value: `${robot.adapter.platform} (${robot.adapter.isReady() ? 'connected' : 'not connected'})`,
            short: true,
          },
          { label: 'Uptime', value: formatDuration(robot.now() - robot.startedAt), short: true },
          { label: 'Commands', value: String(robot.router.commands.size), short: true },
          { label: 'Node.js', value: process.version, short: true },
        ],
        table: {
          columns: ['plugin', 'state'],
          rows: robot.plugins.map((plugin) => [
            plugin.name,
            plugin.loaded ? 'loaded' : `failed: ${plugin.error ?? ''}`,
          ]),
        },
      };
    },
  };
}
