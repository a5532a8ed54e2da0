import { readdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
/** Extensions loaded from a folder or by `robot.loadFile`; others are skipped, as Hubot does. */
export const SCRIPT_EXTENSIONS = new Set(['.js', '.cjs', '.mjs', '.ts', '.coffee']);

let coffeeRegistered = false;

/** Lets `require` load `.coffee` files (compiled by the `coffeescript` package, as Hubot 9 and earlier did). */
function registerCoffeeScript(): void {
  if (coffeeRegistered) return;
  require('coffeescript/register');
  coffeeRegistered = true;
}

/**
 * Imports a script file and returns its exported function: CommonJS `module.exports = (robot) => …`,
 * ESM `export default`, or CoffeeScript.
 */
export async function importScript(file: string): Promise<unknown> {
  if (extname(file) === '.coffee') {
    registerCoffeeScript();
    const module = require(file) as unknown;
    return unwrapDefault(module);
  }
  return unwrapDefault(await import(pathToFileURL(file).href));
}

function unwrapDefault(module: unknown): unknown {
  let value = module;
  // `import()` of CommonJS gives `{ default: module.exports }`; a transpiled module may nest once more.
  for (let i = 0; i < 2 && value && typeof value === 'object' && 'default' in value; i++) {
    value = (value as { default: unknown }).default;
  }
  return value;
}

/** The main file of an npm package, resolved from `baseDir` first, then the working directory. */
export function resolvePackage(name: string, baseDir: string): string {
  registerCoffeeScript();
  for (const base of new Set([baseDir, process.cwd()])) {
    try {
      return createRequire(join(base, 'noop.js')).resolve(name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
    }
  }
  throw new Error(`cannot find module "${name}" (is it installed?)`);
}

/** A `path:` entry: the script files it names (one file, or the files of a folder in name order). */
export async function scriptFiles(path: string, baseDir: string): Promise<string[]> {
  const full = resolve(baseDir, path);
  const info = await stat(full).catch(() => undefined);
  if (!info) throw new Error(`no such file or folder: ${full}`);
  if (info.isFile()) return [full];
  const entries = await readdir(full, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && SCRIPT_EXTENSIONS.has(extname(entry.name)))
    .map((entry) => join(full, entry.name))
    .sort();
}
