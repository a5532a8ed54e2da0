import type { Logger } from 'pino';
import { defaultExport, importModule } from './loader.js';
import type { PluginDefinition } from './plugin.js';

/** A plugin definition of any config type (each plugin validates its own config at load). */
// biome-ignore lint/suspicious/noExplicitAny: config types differ per plugin; the schema checks them at run time
export type AnyPluginDefinition = PluginDefinition<any>;

/** A plugin given in code: a definition, or a definition with its config. */
export type PluginEntry = AnyPluginDefinition | [AnyPluginDefinition, unknown];

/** How loading a plugin went (shown by `status`). */
export interface PluginStatus {
  name: string;
  source: string;
  loaded: boolean;
  error?: string;
}

/**
 * Loads plugins named in config (package name or path) and given in code, validates each one's config
 * with its schema and runs its setup. A plugin that fails is reported and skipped; the rest load.
 */
export async function loadPlugins(options: {
  named: Record<string, unknown>;
  given: PluginEntry[];
  baseDir: string;
  log: Logger;
  setup(definition: PluginDefinition<unknown>, config: unknown): Promise<void>;
}): Promise<PluginStatus[]> {
  const statuses: PluginStatus[] = [];
  const candidates: { source: string; load: () => Promise<[PluginDefinition<unknown>, unknown]> }[] = [
    ...options.given.map((entry) => {
      const [definition, config] = Array.isArray(entry) ? entry : [entry, undefined];
      return {
        source: 'code',
        load: async () =>
          [definition as PluginDefinition<unknown>, config] as [PluginDefinition<unknown>, unknown],
      };
    }),
    ...Object.entries(options.named).map(([specifier, config]) => ({
      source: specifier,
      load: async () => {
        const module = defaultExport(await importModule(specifier, options.baseDir));
        if (!isPlugin(module)) throw new Error(`${specifier} does not export a plugin (definePlugin)`);
        return [module, config] as [PluginDefinition<unknown>, unknown];
      },
    })),
  ];
  for (const candidate of candidates) {
    let name = candidate.source;
    try {
      const [definition, rawConfig] = await candidate.load();
      name = definition.name;
      const config = validate(definition, rawConfig);
      await options.setup(definition, config);
      statuses.push({ name, source: candidate.source, loaded: true });
    } catch (error) {
      const message = (error as Error).message;
      options.log.error({ plugin: name, err: error }, `plugin "${name}" failed to load: ${message}`);
      statuses.push({ name, source: candidate.source, loaded: false, error: message });
    }
  }
  return statuses;
}

function validate(definition: PluginDefinition<unknown>, raw: unknown): unknown {
  if (!definition.config) return raw ?? {};
  const parsed = definition.config.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = ['plugins', definition.name, ...(issue?.path ?? []).map(String)].join('.');
  throw new Error(`config error: ${path}: ${issue?.message ?? 'invalid'}`);
}

function isPlugin(value: unknown): value is PluginDefinition<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as PluginDefinition).name === 'string' &&
    typeof (value as PluginDefinition).setup === 'function'
  );
}
