import type { PluginDefinition } from '@chatops/core';
import { RedisStore } from '@chatops/core/internal';
import { type AdapterTestBot, createTestBot } from '@chatops/core/testing';
import type { SlackEmulator } from '../../src/emulator/index.js';
import slackAdapter, { type SlackConfigInput } from '../../src/index.js';
import opsPlugin from '../fixtures/ops-plugin.mjs';

/** Options of {@link startRobot}. */
export interface RobotUnderTest {
  slack?: Partial<SlackConfigInput>;
  http?: boolean;
  auth?: Record<string, unknown>;
  plugins?: PluginDefinition[];
  /** A Redis store (and so the shared event stream) instead of memory. */
  redis?: { url: string; prefix: string };
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
export async function startRobot(
  slack: SlackEmulator,
  options: RobotUnderTest = {},
): Promise<AdapterTestBot> {
  const redis = options.redis;
  return createTestBot({
    ...(redis ? { store: await RedisStore.open(redis) } : {}),
    adapter: slackAdapter,
    plugins: [opsPlugin, ...(options.plugins ?? [])],
    logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
    scheduler: false,
    config: {
      name: 'opsbot',
      ...(options.http ? { http: { host: '127.0.0.1', port: 0 } } : {}),
      ...(redis ? { store: { type: 'redis', ...redis } } : {}),
      auth: options.auth ?? { rules: [{ allow: 'ops.restart', roles: ['*'] }] },
      slack: slackConfig(slack, options.slack),
    },
  });
}
