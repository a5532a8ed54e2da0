import type { Logger } from 'pino';
import { ConfigError } from '../config/config-error.js';
import { validateSection } from '../config/validate-section.js';
import type { ConfiguredPlugin } from './configured-plugins.js';
import { defaultExport, importModule, isDefinition, ModuleNotFoundError } from './loader.js';
import type { PluginDefinition } from './plugin.js';

/** A plugin definition of any config type (each plugin validates its own config at load). */
// biome-ignore lint/suspicious/noExplicitAny: config types differ per plugin; the schema checks them at run time
export type AnyPluginDefinition = PluginDefinition<any>;

/**
 * A plugin given in code: a definition, or a definition with its config (`[plugin, { … }]`, also
 * `as const`).
 */
export type PluginEntry = AnyPluginDefinition | readonly [AnyPluginDefinition, unknown];

/** How loading a plugin went (shown by `status`). */
export interface PluginStatus {
  name: string;
  source: string;
  loaded: boolean;
  /** Why it failed to load. */
  error?: string;
  /** The error it failed with. */
  cause?: unknown;
}

/**
 * Loads plugins named in config (package name or path) and given in code and validates each one's config
 * with its schema: a plugin that cannot be found or whose config is wrong throws a ConfigError naming the
 * key, and nothing is set up. Then runs each setup: a plugin whose setup throws is reported and skipped
 * (the caller takes back what it registered); the rest load.
 */
export async function loadPlugins(options: {
  named: ConfiguredPlugin[];
  given: readonly PluginEntry[];
  baseDir: string;
  log: Logger;
  setup(definition: PluginDefinition<unknown>, config: unknown): Promise<void>;
}): Promise<PluginStatus[]> {
  // Config first, for every plugin: a wrong key stops the start before any plugin is set up.
  const loaded: { source: string; definition: PluginDefinition<unknown>; config: unknown }[] = [];
  for (const entry of options.given) {
    const [definition, config] = Array.isArray(entry) ? entry : [entry, undefined];
    loaded.push({
      source: 'code',
      definition,
      config: validate(definition, config, `plugins.${definition.name}`),
    });
  }
  for (const { specifier, config, section } of options.named) {
    const key = configKey(specifier, section);
    const definition = await importPlugin(specifier, options.baseDir, key);
    loaded.push({ source: specifier, definition, config: validate(definition, config, key) });
  }
  const statuses: PluginStatus[] = [];
  for (const { source, definition, config } of loaded) {
    const { name } = definition;
    try {
      await options.setup(definition, config);
      statuses.push({ name, source, loaded: true });
    } catch (error) {
      const message = (error as Error).message;
      options.log.error({ plugin: name, err: error }, `plugin "${name}" failed to load: ${message}`);
      statuses.push({ name, source, loaded: false, error: message, cause: error });
    }
  }
  return statuses;
}

/** Loads each plugin named in config and validates its config block, without running setup. */
export async function checkPluginConfigs(named: ConfiguredPlugin[], baseDir: string): Promise<string[]> {
  const names: string[] = [];
  for (const { specifier, config, section } of named) {
    const key = configKey(specifier, section);
    const definition = await importPlugin(specifier, baseDir, key);
    validate(definition, config, key);
    names.push(definition.name);
  }
  return names;
}

/** Imports a plugin named in config; a module that is not there or is not a plugin is a config error. */
async function importPlugin(
  specifier: string,
  baseDir: string,
  key: string,
): Promise<PluginDefinition<unknown>> {
  let module: unknown;
  try {
    module = defaultExport(await importModule(specifier, baseDir));
  } catch (error) {
    if (error instanceof ModuleNotFoundError) throw new ConfigError(`config error: ${key}: ${error.message}`);
    throw error;
  }
  if (!isDefinition(module, 'setup'))
    throw new ConfigError(`config error: ${key}: ${specifier} does not export a plugin (definePlugin)`);
  return module as PluginDefinition<unknown>;
}

function validate(definition: AnyPluginDefinition, raw: unknown, key: string): unknown {
  return definition.config ? validateSection(definition.config, raw ?? {}, [key]) : (raw ?? {});
}

/**
 * The config key of a plugin's block as written: `plugins.ping`, `plugins["./plugins/hello.js"]`, or
 * the block's own key (`hubot`).
 */
function configKey(specifier: string, section: readonly string[] | undefined): string {
  if (section) return section.join('.');
  return /^[\w-]+$/.test(specifier) ? `plugins.${specifier}` : `plugins[${JSON.stringify(specifier)}]`;
}
