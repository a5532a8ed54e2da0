import { ConfigError } from '../config/config-error.js';
import type { ChatopsConfig } from '../config/schema.js';

/** The package that runs Hubot scripts; loaded by name when the config has a `hubot:` block. */
export const HUBOT_COMPAT_PACKAGE = '@chatops/hubot-compat';

/** A plugin named by the config: what to import, its raw config block and where that block is. */
export interface ConfiguredPlugin {
  specifier: string;
  config: unknown;
  /** The config key of its block, for error messages (`plugins.ping`, `hubot`). */
  section?: readonly string[];
}

/**
 * The plugins the config names: the `plugins:` map, plus `@chatops/hubot-compat` when there is a
 * top-level `hubot:` block (its config). Core only knows the package by name, so it does not depend on it.
 */
export function configuredPlugins(config: Pick<ChatopsConfig, 'plugins' | 'hubot'>): ConfiguredPlugin[] {
  const named: ConfiguredPlugin[] = Object.entries(config.plugins).map(([specifier, block]) => ({
    specifier,
    config: block,
  }));
  if (config.hubot === undefined) return named;
  if (HUBOT_COMPAT_PACKAGE in config.plugins) {
    throw new ConfigError(
      `config: give the Hubot scripts either in "hubot:" or in plugins."${HUBOT_COMPAT_PACKAGE}", not both`,
    );
  }
  return [...named, { specifier: HUBOT_COMPAT_PACKAGE, config: config.hubot, section: ['hubot'] }];
}
