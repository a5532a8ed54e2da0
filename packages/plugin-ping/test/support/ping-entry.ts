import type { PluginDefinition } from '@chatops/core';
import type { PluginEntry } from '@chatops/core/testing';
import ping, { type PingConfigInput } from '../../src/index.js';

/**
 * The plugin with its config for `createTestBot`, the config typed as written in a config file.
 * The cast works around `PluginEntry`'s tuple form accepting only `PluginDefinition<never>`.
 */
export function pingWith(config: PingConfigInput): PluginEntry {
  return [ping as unknown as PluginDefinition<never>, config];
}
