import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { cosmiconfig } from 'cosmiconfig';
import { ConfigError } from './config-error.js';
import { formatZodError, knownKeysAt, unknownKeyMessage } from './format-zod-error.js';
import { interpolateEnv } from './interpolate.js';
import { type ChatopsConfig, configSchema } from './schema.js';

export { formatZodError } from './format-zod-error.js';

/** Where the configuration is looked for, in order, from `cwd` up to the project root. */
const SEARCH_PLACES = [
  'package.json',
  '.chatopsrc',
  '.chatopsrc.json',
  '.chatopsrc.yaml',
  '.chatopsrc.yml',
  '.chatopsrc.js',
  '.chatopsrc.mjs',
  'chatops.config.yaml',
  'chatops.config.yml',
  'chatops.config.json',
  'chatops.config.js',
  'chatops.config.mjs',
  'chatops.config.cjs',
];

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Load exactly this file (relative to `cwd`) instead of searching. */
  configPath?: string;
  /** Where to start searching and what relative paths mean without a file; default `process.cwd()`. */
  cwd?: string;
  /** Variables for `${VAR}` interpolation; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Top-level keys that replace the file's (command-line flags such as `--adapter`). */
  overrides?: Record<string, unknown>;
}

/** A validated configuration and where it came from. */
export interface LoadedConfig {
  /** The validated configuration with defaults applied and file paths made absolute. */
  config: ChatopsConfig;
  /** The file it was read from; absent when no file was found and defaults are used. */
  filepath?: string;
  /** The directory relative paths in the config (store, audit, plugins) are resolved against. */
  dir: string;
  /** The configuration as written, after interpolation and overrides, before defaults. */
  raw: Record<string, unknown>;
}

/**
 * Finds, reads, interpolates and validates the robot's configuration.
 *
 * @throws {@link ConfigError} with a one-line message naming the file and key on any problem.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const found = await readConfigFile(cwd, options.configPath);
  const filepath = found?.filepath;
  const dir = filepath ? path.dirname(filepath) : cwd;
  const fail = (message: string): ConfigError =>
    new ConfigError(
      filepath ? `config error in ${displayPath(filepath, cwd)}: ${message}` : `config error: ${message}`,
    );

  const written = found?.config ?? {};
  if (!isRecord(written)) throw fail('the file must contain an object of settings');
  let interpolated: Record<string, unknown>;
  try {
    interpolated = interpolateEnv(written, options.env ?? process.env) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof ConfigError) throw fail(error.message);
    throw error;
  }
  const raw = applyOverrides(interpolated, options.overrides);

  const unknown = unknownTopLevelKey(raw, [interpolated['adapter'], raw['adapter']]);
  if (unknown) throw fail(unknown);
  // Parsed once: generating zod's compiled fast path for each object schema costs more than it saves.
  const parsed = configSchema.safeParse(raw, { jitless: true });
  if (!parsed.success) throw fail(formatZodError(parsed.error, configSchema, raw));
  return { config: resolvePaths(parsed.data, dir), ...(filepath ? { filepath } : {}), dir, raw };
}

async function readConfigFile(
  cwd: string,
  configPath: string | undefined,
): Promise<{ config: unknown; filepath: string } | undefined> {
  const explorer = cosmiconfig('chatops', {
    searchPlaces: SEARCH_PLACES,
    searchStrategy: 'project',
    cache: false,
  });
  let filepath: string | undefined;
  try {
    if (configPath === undefined) {
      const result = await explorer.search(cwd);
      return result ? { config: result.config, filepath: result.filepath } : undefined;
    }
    filepath = path.resolve(cwd, configPath);
    const result = await explorer.load(filepath);
    return { config: result?.config, filepath };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ConfigError(`config error: file not found: ${configPath}`);
    }
    const where = (error as { filepath?: string }).filepath ?? filepath;
    const reason = parseErrorReason(error instanceof Error ? error.message : String(error));
    throw new ConfigError(`config error in ${where ? displayPath(where, cwd) : cwd}: ${reason}`);
  }
}

function applyOverrides(
  config: Record<string, unknown>,
  overrides: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const result = { ...config };
  for (const [key, value] of Object.entries(overrides ?? {})) if (value !== undefined) result[key] = value;
  return result;
}

/**
 * The top-level schema accepts extra keys so that an adapter's block fits; nothing else may.
 * `adapters` are the file's and the overriding `adapter:` values, so `--adapter shell` keeps
 * accepting the file's block for its usual adapter.
 */
function unknownTopLevelKey(raw: Record<string, unknown>, adapters: unknown[]): string | undefined {
  const known = knownKeysAt(configSchema, []);
  const adapterKeys = adapters.flatMap((adapter) =>
    typeof adapter === 'string' ? adapterBlockKeys(adapter) : [],
  );
  const key = Object.keys(raw).find(
    (candidate) => !known.includes(candidate) && !adapterKeys.includes(candidate),
  );
  return key === undefined ? undefined : unknownKeyMessage(key, [...known, ...adapterKeys]);
}

/**
 * The keys an adapter's block may use: the `adapter:` value itself and, for a package or path,
 * its short name (`@acme/chatops-adapter-teams` and `./adapters/teams.js` both allow `teams:`).
 */
function adapterBlockKeys(adapter: string): string[] {
  const base = adapter
    .split('/')
    .at(-1)!
    .replace(/\.(m|c)?[jt]s$/, '')
    .replace(/^(chatops-)?adapter-/, '');
  return base && base !== adapter ? [adapter, base] : [adapter];
}

function resolvePaths(config: ChatopsConfig, dir: string): ChatopsConfig {
  const store =
    config.store.type === 'sqlite'
      ? { ...config.store, path: path.resolve(dir, config.store.path) }
      : config.store;
  return { ...config, store, audit: { ...config.audit, path: path.resolve(dir, config.audit.path) } };
}

function displayPath(filepath: string, cwd: string): string {
  const relative = path.relative(cwd, filepath);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : filepath;
}

/**
 * The reason line of a loader error, without the code frame or the quoted input that YAML and
 * JSON parsers add: those would echo the file's contents, secrets included.
 */
function parseErrorReason(message: string): string {
  // Parsers colour their code frames when the environment looks like a colour terminal (CI=true).
  const reason = stripVTControlCharacters(message)
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line !== '' && !/^(YAML|JSON) Error in |^>|^\d*\s*\||^-*\^$/.test(line));
  return (reason ?? 'cannot be read').replace(/ while parsing .*$/, '');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
