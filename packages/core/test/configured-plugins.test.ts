import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config/config-error.js';
import { configSchema } from '../src/config/schema.js';
import { configuredPlugins, HUBOT_COMPAT_PACKAGE } from '../src/plugins/configured-plugins.js';

describe('configuredPlugins', () => {
  it('names the plugins of the plugins: map', () => {
    const config = configSchema.parse({ plugins: { '@chatops/plugin-ping': { targets: {} } } });
    expect(configuredPlugins(config)).toEqual([
      { specifier: '@chatops/plugin-ping', config: { targets: {} } },
    ]);
  });

  it('adds the Hubot compatibility package for a hubot: block, with the block as its config', () => {
    const hubot = { scripts: [{ module: 'hubot-rules', effect: 'read' }] };
    const config = configSchema.parse({ hubot });
    expect(configuredPlugins(config)).toEqual([
      { specifier: HUBOT_COMPAT_PACKAGE, config: hubot, section: ['hubot'] },
    ]);
  });

  it('refuses the scripts given both ways', () => {
    const config = configSchema.parse({ hubot: { scripts: [] }, plugins: { [HUBOT_COMPAT_PACKAGE]: {} } });
    expect(() => configuredPlugins(config)).toThrow(ConfigError);
  });
});
