import { ConfigError, formatKeyPath } from './config-error.js';

/** `$${NAME}` (escaped), `${NAME}` or `${NAME:-default}`. */
const PLACEHOLDER = /\$(\$)?\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${VAR}` and `${VAR:-default}` in every string of `value` (recursing into objects and
 * arrays) with values from `env`. `$${VAR}` stays a literal `${VAR}`. An unset variable without a
 * default throws a {@link ConfigError} naming the key path and the variable, never a value. So does a
 * value that contains itself (a recursive YAML alias such as `a: &x { b: *x }`).
 *
 * @param path - Key path of `value` inside the config, used in error messages.
 */
export function interpolateEnv(
  value: unknown,
  env: Record<string, string | undefined>,
  path: Array<string | number> = [],
  ancestors: ReadonlySet<unknown> = new Set(),
): unknown {
  if (typeof value === 'string') return interpolateString(value, env, path);
  if (value === null || typeof value !== 'object') return value;
  if (ancestors.has(value)) {
    throw new ConfigError(`${formatKeyPath(path)}: contains itself (a recursive YAML alias)`);
  }
  const inside = new Set(ancestors).add(value);
  if (Array.isArray(value))
    return value.map((item, index) => interpolateEnv(item, env, [...path, index], inside));
  if (isPlainObject(value)) {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value))
      result[key] = interpolateEnv(item, env, [...path, key], inside);
    return result;
  }
  return value;
}

function interpolateString(
  text: string,
  env: Record<string, string | undefined>,
  path: Array<string | number>,
): string {
  return text.replace(PLACEHOLDER, (match, escaped: string | undefined, name: string, fallback?: string) => {
    if (escaped) return match.slice(1);
    const found = env[name];
    // Like the shell's `:-`, an empty variable also takes the default.
    if (found !== undefined && (found !== '' || fallback === undefined)) return found;
    if (fallback !== undefined) return fallback;
    throw new ConfigError(`${formatKeyPath(path)}: environment variable ${name} is not set`);
  });
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
