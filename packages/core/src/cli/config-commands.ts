import { Command } from 'commander';
import { checkAdapterConfig } from '../chat/adapter-loader.js';
import { configJsonSchema } from '../config/json-schema.js';
import { configuredPlugins } from '../plugins/configured-plugins.js';
import { checkPluginConfigs } from '../plugins/plugin-loader.js';
import { loadCliConfig } from './boot.js';
import { runCli } from './run-cli.js';
import { loadSchemaContributions } from './schema-contributions.js';

/** `chatops check-config`: validates the config (and names the exact key when it is wrong). */
export function checkConfigCommand(): Command {
  return new Command('check-config')
    .description('Validate the configuration and exit (2 when it is wrong)')
    .option('-c, --config <file>', 'config file')
    .action((options: { config?: string }) =>
      runCli(async () => {
        const loaded = await loadCliConfig(options);
        await checkAdapterConfig(loaded);
        const plugins = await checkPluginConfigs(configuredPlugins(loaded.config), loaded.dir);
        process.stdout.write(
          `config OK: ${loaded.filepath ?? '(defaults)'}; adapter ${loaded.config.adapter}; ${plugins.length} plugin(s)${plugins.length ? `: ${plugins.join(', ')}` : ''}\n`,
        );
        return 0;
      }),
    );
}

/**
 * `chatops schema`: the JSON Schema of the config file, for editors, with the blocks of the bundled
 * adapters and plugins (and of the plugins `--config` names) described.
 */
export function schemaCommand(): Command {
  return new Command('schema')
    .description('Print the JSON Schema of the config file (adapter and plugin blocks included)')
    .option('-c, --config <file>', 'also describe the plugins this config names')
    .action((options: { config?: string }) =>
      runCli(async () => {
        const loaded = options.config ? await loadCliConfig(options) : undefined;
        const contributions = await loadSchemaContributions({
          baseDir: loaded?.dir ?? process.cwd(),
          plugins: Object.keys(loaded?.config.plugins ?? {}),
          warn: (message) => process.stderr.write(`chatops schema: ${message}\n`),
        });
        process.stdout.write(`${JSON.stringify(configJsonSchema(contributions), null, 2)}\n`);
        return 0;
      }),
    );
}
