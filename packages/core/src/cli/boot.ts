import type { AdapterModule } from '../chat/adapter.js';
import { type LoadedConfig, loadConfig } from '../config/load-config.js';
import { createLogger } from '../runtime/logger.js';
import { Robot } from '../runtime/robot.js';
import { VERSION } from './version.js';

/** Common CLI options. */
export interface ConfigOptions {
  config?: string;
  adapter?: string;
}

/** Loads the config the CLI was pointed at. */
export function loadCliConfig(
  options: ConfigOptions,
  overrides: Record<string, unknown> = {},
): Promise<LoadedConfig> {
  return loadConfig({
    ...(options.config ? { configPath: options.config } : {}),
    overrides: { ...(options.adapter ? { adapter: options.adapter } : {}), ...overrides },
  });
}

/** Builds a robot from loaded config. */
export function createRobot(loaded: LoadedConfig, adapter?: AdapterModule<unknown>): Robot {
  const log = createLogger({ level: loaded.config.log.level });
  return new Robot({
    config: loaded.config,
    configDir: loaded.dir,
    log,
    version: VERSION,
    ...(adapter ? { adapter } : {}),
  });
}
