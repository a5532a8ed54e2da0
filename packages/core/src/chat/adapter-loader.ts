import type { LoadedConfig } from '../config/load-config.js';
import { validateSection } from '../config/validate-section.js';
import { defaultExport, importModule } from '../plugins/loader.js';
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
  if (!isAdapterModule(module))
    throw new Error(`adapter "${name}": ${specifier} does not export an adapter (defineAdapter)`);
  return module;
}

function isAdapterModule(value: unknown): value is AdapterModule<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AdapterModule).name === 'string' &&
    typeof (value as AdapterModule).create === 'function'
  );
}

/** Loads the configured adapter and validates its config block (for `chatops check-config`). */
export async function checkAdapterConfig(loaded: LoadedConfig): Promise<void> {
  const module = await loadAdapterModule(loaded.config.adapter, loaded.dir);
  const raw = (loaded.config as Record<string, unknown>)[module.name] ?? {};
  if (module.config) validateSection(module.config, raw, [module.name]);
}
