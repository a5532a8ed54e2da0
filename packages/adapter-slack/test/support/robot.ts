import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema, type PluginDefinition, Robot } from '@chatops/core';
import type { SlackEmulator } from '../../src/emulator/index.js';
import slackAdapter, { type SlackConfigInput } from '../../src/index.js';
import opsPlugin from '../fixtures/ops-plugin.mjs';

/** Options of {@link startRobot}. */
export interface RobotUnderTest {
  slack?: Partial<SlackConfigInput>;
  http?: boolean;
  auth?: Record<string, unknown>;
  plugins?: PluginDefinition[];
}

/** Config for the Slack adapter against the emulator, with short protocol timings. */
export function slackConfig(
  slack: SlackEmulator,
  overrides: Partial<SlackConfigInput> = {},
): SlackConfigInput {
  return {
    botToken: slack.tokens.bot,
    appToken: slack.tokens.app,
    apiUrl: slack.apiUrl,
    postInterval: 0,
    retryMinDelay: '10ms',
    pingTimeout: '2s',
    reconnectDelay: '50ms',
    ...overrides,
  };
}

/** Starts the real robot with the Slack adapter and the test plugin, talking to the emulator. */
export async function startRobot(slack: SlackEmulator, options: RobotUnderTest = {}): Promise<Robot> {
  const dir = await mkdtemp(join(tmpdir(), 'chatops-slack-'));
  const config = configSchema.parse({
    name: 'opsbot',
    adapter: 'slack',
    store: { type: 'memory' },
    audit: { enabled: false },
    log: { level: (process.env.TEST_LOG_LEVEL as 'debug' | undefined) ?? 'silent' },
    ...(options.http ? { http: { host: '127.0.0.1', port: 0 } } : {}),
    auth: options.auth ?? { rules: [{ allow: 'ops.restart', roles: ['*'] }] },
    slack: slackConfig(slack, options.slack),
  });
  const robot = new Robot({
    config,
    configDir: dir,
    adapter: slackAdapter as never,
    plugins: [opsPlugin, ...(options.plugins ?? [])],
  });
  await robot.start({ scheduler: false });
  return robot;
}
