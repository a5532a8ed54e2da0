import type { LoadedConfig } from '../config/load-config.js';
import type { ChatopsConfig } from '../config/schema.js';
import { validateSection } from '../config/validate-section.js';
import { defaultExport, importModule, isDefinition } from '../plugins/loader.js';
import { createShellAdapterModule } from '../shell/shell-adapter.js';
import type { AdapterModule } from './adapter.js';

/**
 * Finds the adapter `config.adapter` names: `shell` is built in; `slack` and `mattermost` load
 * `@chatops/adapter-<name>`; anything else is a package name or a path.
 */
export async function loadAdapterModule(name: string, baseDir: string): Promise<AdapterModule<unknown>> {
  if (name === 'shell') return createShellAdapterModule() as AdapterModule<unknown>;
  const specifier = /^[a-z][\w-]*$/.test(name) ? `@chatops/adapter-${name}` : name;
  let module: unknown;
  try {
    module = defaultExport(await importModule(specifier, baseDir));
  } catch (error) {
    throw new Error(`adapter "${name}": ${(error as Error).message}`);
  }
  if (!isDefinition(module, 'create'))
    throw new Error(`adapter "${name}": ${specifier} does not export an adapter (defineAdapter)`);
  return module as AdapterModule<unknown>;
}

/** The adapter's config block (`slack:`, `mattermost:`), validated by its schema when it has one. */
export function adapterConfig(config: ChatopsConfig, module: AdapterModule<unknown>): unknown {
  const raw = (config as Record<string, unknown>)[module.name] ?? {};
  return module.config ? validateSection(module.config, raw, [module.name]) : raw;
}

/** Loads the configured adapter and validates its config block (for `chatops check-config`). */
export async function checkAdapterConfig(loaded: LoadedConfig): Promise<void> {
  adapterConfig(loaded.config, await loadAdapterModule(loaded.config.adapter, loaded.dir));
}
