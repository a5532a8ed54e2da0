import type { Logger } from 'pino';
import { validateSection } from './config/validate-section.js';
import type { ConfiguredPlugin } from './configured-plugins.js';
import { defaultExport, importModule } from './loader.js';
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
 * Loads plugins named in config (package name or path) and given in code, validates each one's config
 * with its schema and runs its setup. A plugin that fails is reported and skipped; the rest load.
 */
export async function loadPlugins(options: {
  named: ConfiguredPlugin[];
  given: readonly PluginEntry[];
  baseDir: string;
  log: Logger;
  setup(definition: PluginDefinition<unknown>, config: unknown): Promise<void>;
}): Promise<PluginStatus[]> {
  const statuses: PluginStatus[] = [];
  const candidates: {
    source: string;
    section?: readonly string[];
    load: () => Promise<[PluginDefinition<unknown>, unknown]>;
  }[] = [
    ...options.given.map((entry) => {
      const [definition, config] = Array.isArray(entry) ? entry : [entry, undefined];
      return {
        source: 'code',
        load: async () =>
          [definition as PluginDefinition<unknown>, config] as [PluginDefinition<unknown>, unknown],
      };
    }),
    ...options.named.map(({ specifier, config, section }) => ({
      source: specifier,
      section,
      load: async () =>
        [await importPlugin(specifier, options.baseDir), config] as [PluginDefinition<unknown>, unknown],
    })),
  ];
  for (const candidate of candidates) {
    let name = candidate.source;
    try {
      const [definition, rawConfig] = await candidate.load();
      name = definition.name;
      const config = validate(definition, rawConfig, candidate.section);
      await options.setup(definition, config);
      statuses.push({ name, source: candidate.source, loaded: true });
    } catch (error) {
      const message = (error as Error).message;
      options.log.error({ plugin: name, err: error }, `plugin "${name}" failed to load: ${message}`);
      statuses.push({ name, source: candidate.source, loaded: false, error: message, cause: error });
    }
  }
  return statuses;
}

/** Loads each plugin named in config and validates its config block, without running setup. */
export async function checkPluginConfigs(named: ConfiguredPlugin[], baseDir: string): Promise<string[]> {
  const names: string[] = [];
  for (const { specifier, config, section } of named) {
    const module = await importPlugin(specifier, baseDir);
    validate(module, config, section);
    names.push(module.name);
  }
  return names;
}

async function importPlugin(specifier: string, baseDir: string): Promise<PluginDefinition<unknown>> {
  const module = defaultExport(await importModule(specifier, baseDir));
  if (!isPlugin(module)) throw new Error(`plugin "${specifier}" does not export a plugin (definePlugin)`);
  return module;
}

function validate(definition: AnyPluginDefinition, raw: unknown, section?: readonly string[]): unknown {
  return definition.config
    ? validateSection(definition.config, raw ?? {}, section ?? ['plugins', definition.name])
    : (raw ?? {});
}

function isPlugin(value: unknown): value is PluginDefinition<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as PluginDefinition).name === 'string' &&
    typeof (value as PluginDefinition).setup === 'function'
  );
}
