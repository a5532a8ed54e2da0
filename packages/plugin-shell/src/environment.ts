/** What a script's environment is made of. */
export interface EnvironmentSpec {
  /** Variables set for the script. */
  env: Readonly<Record<string, string>>;
  /** Names of the bot's own variables passed through when set (e.g. `AWS_PROFILE`). */
  passEnv: readonly string[];
}

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * The complete environment of a script: PATH, HOME and LANG, the names the declaration passes through,
 * its own variables and `extra` (who asked). Nothing else of the bot's environment (its tokens) is
 * inherited.
 */
export function buildEnvironment(
  spec: EnvironmentSpec,
  extra: Readonly<Record<string, string>>,
  parent: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = {
    PATH: parent['PATH'] || DEFAULT_PATH,
    LANG: parent['LANG'] || 'C.UTF-8',
  };
  if (parent['HOME']) env['HOME'] = parent['HOME'];
  for (const name of spec.passEnv) {
    const value = parent[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...spec.env, ...extra };
}
