import { Command } from 'commander';
import { checkAdapterConfig } from '../adapter-loader.js';
import { configJsonSchema } from '../config/json-schema.js';
import { configuredPlugins } from '../configured-plugins.js';
import { checkPluginConfigs } from '../plugin-loader.js';
import { loadCliConfig } from './boot.js';
import { runCli } from './run-cli.js';

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

/** `chatops schema`: the JSON Schema of the config file, for editors. */
export function schemaCommand(): Command {
  return new Command('schema').description('Print the JSON Schema of the config file').action(() =>
    runCli(async () => {
      process.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
      return 0;
    }),
  );
}
