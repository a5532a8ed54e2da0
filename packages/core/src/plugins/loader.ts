import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A module named in config that does not exist where it was looked for. */
export class ModuleNotFoundError extends Error {
  override readonly name = 'ModuleNotFoundError';
}

/**
 * Imports a module named in config: a path (relative to the config directory) or a package name,
 * resolved from the config directory first, then the working directory.
 */
export async function importModule(specifier: string, baseDir: string): Promise<unknown> {
  if (specifier.startsWith('.') || isAbsolute(specifier)) {
    // require.resolve handles a directory with a package.json, which a bare ESM import does not.
    const path = resolve(baseDir, specifier);
    let resolved: string;
    try {
      resolved = createRequire(join(baseDir, 'noop.js')).resolve(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
      throw new ModuleNotFoundError(`no module at ${path}`);
    }
    return import(pathToFileURL(resolved).href);
  }
  const bases = [...new Set([baseDir, process.cwd()])];
  for (const base of bases) {
    try {
      const resolved = createRequire(join(base, 'noop.js')).resolve(specifier);
      return await import(pathToFileURL(resolved).href);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
    }
  }
  throw new ModuleNotFoundError(
    `cannot find package "${specifier}" from ${bases.join(' or ')} (is it installed?)`,
  );
}

/**
 * Whether a module's export is a definition: an object with a string `name` and a function `method`
 * (`create` for an adapter, `setup` for a plugin).
 */
export function isDefinition(value: unknown, method: string): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { name?: unknown }).name === 'string' &&
    typeof (value as Record<string, unknown>)[method] === 'function'
  );
}

/** The default export of a module, or the module itself. */
export function defaultExport(module: unknown): unknown {
  if (module && typeof module === 'object' && 'default' in module)
    return (module as { default: unknown }).default;
  return module;
}
