/** `${NAME}` or `${NAME:-default}`, as config interpolation reads them (not the escaped `$${…}`). */
const PLACEHOLDER = /(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * `.env.example` for a config: every variable it uses, once, in order of first use; required ones
 * empty, optional ones commented out with their default.
 */
export function envExample(configText: string): string {
  const variables = new Map<string, string | undefined>();
  const uncommented = configText
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n');
  for (const [, name, fallback] of uncommented.matchAll(PLACEHOLDER)) {
    if (!variables.has(name!)) variables.set(name!, fallback);
  }
  const lines = ['# Environment of the bot: copy to .env (or a systemd EnvironmentFile) and fill in.'];
  for (const [name, fallback] of variables) {
    lines.push(fallback === undefined ? `${name}=` : `# ${name}=${fallback}`);
  }
  return `${lines.join('\n')}\n`;
}
