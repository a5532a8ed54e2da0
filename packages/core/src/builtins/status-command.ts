import type { CommandSpec } from '../plugins/plugin.js';
import type { PluginStatus } from '../plugins/plugin-loader.js';
import { formatDuration } from '../shared/duration.js';

/** What `status` shows, read when it runs. */
export interface RobotStatus {
  name: string;
  version: string;
  platform: string;
  connected: boolean;
  uptimeMs: number;
  commands: number;
  plugins: readonly PluginStatus[];
}

/** `status`: version, adapter, uptime, plugins. */
export function statusCommand(status: () => RobotStatus): CommandSpec {
  return {
    name: 'status',
    effect: 'read',
    summary: "Show the bot's version, adapter, uptime and plugins",
    run: () => {
      const now = status();
      const failed = now.plugins.filter((plugin) => !plugin.loaded);
      return {
        title: `${now.name} ${now.version}`,
        status: failed.length ? 'warn' : 'ok',
        fields: [
          {
            label: 'Adapter',
            value: `${now.platform} (${now.connected ? 'connected' : 'not connected'})`,
            short: true,
          },
          { label: 'Uptime', value: formatDuration(now.uptimeMs), short: true },
          { label: 'Commands', value: String(now.commands), short: true },
          { label: 'Node.js', value: process.version, short: true },
        ],
        table: {
          columns: ['plugin', 'state'],
          rows: now.plugins.map((plugin) => [
            plugin.name,
            plugin.loaded ? 'loaded' : `failed: ${plugin.error ?? ''}`,
          ]),
        },
      };
    },
  };
}
