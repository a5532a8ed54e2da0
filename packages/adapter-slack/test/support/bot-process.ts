import { fileURLToPath } from 'node:url';

/** This package's directory: `@chatops/adapter-slack` resolves from here to this package. */
export const packageDir = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The `slack:` block of a `chatops start` config against the emulator, in Socket Mode: tokens come
 * from `SLACK_BOT_TOKEN` and `SLACK_APP_TOKEN`, timings are short for tests.
 */
export function emulatorSlackBlock(apiUrl: string): Record<string, string> {
  return {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's ${VAR} interpolation
    botToken: '${SLACK_BOT_TOKEN}',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's ${VAR} interpolation
    appToken: '${SLACK_APP_TOKEN}',
    apiUrl,
    postInterval: '10ms',
    retryMinDelay: '10ms',
    reconnectDelay: '50ms',
  };
}
