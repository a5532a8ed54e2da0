/**
 * A configuration problem the user must fix: a missing file, a missing environment variable,
 * an unknown or invalid key. The message is one line naming what is wrong; the CLI prints it
 * without a stack trace and exits with code 2.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Formats a key path as written in a config file: `auth.rules[0].roles`. */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text ? `.${String(key)}` : String(key);
  }
  return text || '(root)';
}
