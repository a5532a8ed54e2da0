// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests write literal ${VAR} placeholders.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config/config-error.js';
import { interpolateEnv } from '../src/config/interpolate.js';

describe('interpolateEnv', () => {
  const env = { SLACK_BOT_TOKEN: 'xoxb-secret', EMPTY: '', PORT: '8080' };

  it('replaces variables in nested objects and arrays', () => {
    const input = {
      slack: { botToken: '${SLACK_BOT_TOKEN}' },
      list: ['a-${PORT}', { deep: 'port ${PORT}!' }],
    };
    expect(interpolateEnv(input, env)).toEqual({
      slack: { botToken: 'xoxb-secret' },
      list: ['a-8080', { deep: 'port 8080!' }],
    });
  });

  it('uses the default when the variable is unset or empty', () => {
    expect(interpolateEnv('${MISSING:-fallback}', env)).toBe('fallback');
    expect(interpolateEnv('${EMPTY:-fallback}', env)).toBe('fallback');
    expect(interpolateEnv('${MISSING:-}', env)).toBe('');
    expect(interpolateEnv('${PORT:-1}', env)).toBe('8080');
  });

  it('keeps an empty variable without a default', () => {
    expect(interpolateEnv('[${EMPTY}]', env)).toBe('[]');
  });

  it('treats $${X} as a literal ${X}', () => {
    expect(interpolateEnv('cost $${PORT} and ${PORT}', env)).toBe('cost ${PORT} and 8080');
  });

  it('leaves non-strings and text without placeholders alone', () => {
    expect(interpolateEnv({ n: 1, b: true, z: null, s: '$HOME {x}' }, env)).toEqual({
      n: 1,
      b: true,
      z: null,
      s: '$HOME {x}',
    });
  });

  it('names the key path and variable of a missing variable', () => {
    const run = () => interpolateEnv({ slack: { botToken: '${SLACK_APP_TOKEN}' } }, env);
    expect(run).toThrow(ConfigError);
    expect(run).toThrow('slack.botToken: environment variable SLACK_APP_TOKEN is not set');
  });

  it('names array positions in the key path', () => {
    expect(() => interpolateEnv({ mattermost: { commandTokens: ['ok', '${NOPE}'] } }, {})).toThrow(
      'mattermost.commandTokens[1]: environment variable NOPE is not set',
    );
  });

  it('never puts a value in the error message', () => {
    let message = '';
    try {
      interpolateEnv({ a: '${SLACK_BOT_TOKEN}-${MISSING}' }, env);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe('a: environment variable MISSING is not set');
    expect(message).not.toContain('xoxb');
  });
});
