import { loadAdapterModule } from '../chat/adapter-loader.js';
import type { SchemaContributions } from '../config/json-schema.js';
import { HUBOT_COMPAT_PACKAGE } from '../plugins/configured-plugins.js';
import { defaultExport, importModule } from '../plugins/loader.js';
import type { PluginDefinition } from '../plugins/plugin.js';

/** The adapters and plugins of the production bundle, described whenever they are installed. */
export const BUNDLED_ADAPTERS = ['slack', 'mattermost'];
export const BUNDLED_PLUGINS = ['@chatops/plugin-ping', '@chatops/plugin-shell', '@chatops/plugin-aws'];

/**
 * Loads the config schemas of the bundled adapters and plugins, and of the plugins a config names,
 * for `chatops schema`. What cannot be loaded is reported through `warn` and left open.
 */
export async function loadSchemaContributions(options: {
  baseDir: string;
  plugins?: string[];
  warn: (message: string) => void;
}): Promise<SchemaContributions> {
  const adapters: NonNullable<SchemaContributions['adapters']> = {};
  for (const name of BUNDLED_ADAPTERS) {
    try {
      const module = await loadAdapterModule(name, options.baseDir);
      if (module.config) adapters[module.name] = module.config;
    } catch (error) {
      options.warn(`${(error as Error).message}; the ${name}: block is left open`);
    }
  }
  const plugins: NonNullable<SchemaContributions['plugins']> = {};
  for (const specifier of new Set([...BUNDLED_PLUGINS, ...(options.plugins ?? [])])) {
    try {
      const definition = defaultExport(await importModule(specifier, options.baseDir)) as PluginDefinition;
      if (definition?.config) plugins[specifier] = definition.config;
    } catch (error) {
      options.warn(`plugin "${specifier}": ${(error as Error).message}; its block is left open`);
    }
  }
  const blocks: NonNullable<SchemaContributions['blocks']> = {};
  try {
    const compat = defaultExport(
      await importModule(HUBOT_COMPAT_PACKAGE, options.baseDir),
    ) as PluginDefinition;
    if (compat?.config) blocks['hubot'] = compat.config;
  } catch {
    // Not installed: the hubot: block stays open, as core validates it only when the package loads.
  }
  return { adapters, plugins, blocks };
}
