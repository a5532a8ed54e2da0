import { join, relative, resolve } from 'node:path';
import { Command } from 'commander';
import { ConfigError } from '../config/config-error.js';
import { runCli } from './run-cli.js';
import { type PluginScaffold, pluginFiles } from './scaffold/plugin-files.js';
import { addTsconfigReference, findWorkspace } from './scaffold/workspace.js';
import { corePackage, VERSION } from './version.js';
import { writeNewFiles } from './write-new-files.js';

const PLUGIN_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * `chatops new plugin <name>`: a plugin package with a test on the testing kit that passes as
 * generated. Inside a pnpm workspace it depends on `@chatops/core` as `workspace:*`, extends the
 * workspace's tsconfig and is added to the root tsconfig's references.
 */
export function newCommand(): Command {
  return new Command('new').description('Create a new package from a template').addCommand(
    new Command('plugin')
      .description('Scaffold a plugin package with its test')
      .argument(
        '<name>',
        'plugin name: lower-case letters, digits and "-" (its command and permission prefix)',
      )
      .option('-d, --dir <dir>', 'parent directory of the new package', 'plugins')
      .option('--package <name>', 'npm package name (default chatops-plugin-<name>)')
      .action((name: string, options: { dir: string; package?: string }) =>
        runCli(async () => {
          if (!PLUGIN_NAME.test(name))
            throw new ConfigError(
              `plugin name "${name}": lower-case letters, digits and "-", starting with a letter`,
            );
          const target = resolve(options.dir, name);
          const workspace = await findWorkspace(target);
          const inWorkspace = workspace?.includes === true;
          const scaffold: PluginScaffold = {
            name,
            packageName: options.package ?? `chatops-plugin-${name}`,
            coreVersion: inWorkspace && workspace.coreDir ? 'workspace:*' : `^${VERSION}`,
            zodVersion: corePackage.dependencies['zod'] ?? '^4',
            ...(inWorkspace && workspace.tsconfigBase
              ? {
                  workspace: {
                    tsconfigBase: relative(target, workspace.tsconfigBase),
                    ...(workspace.coreDir ? { coreProject: relative(target, workspace.coreDir) } : {}),
                  },
                }
              : {}),
            tools: { typescript: '^5.9.0', vitest: '^5.1.0', '@types/node': '^24.0.0' },
          };
          const written = await writeNewFiles(target, pluginFiles(scaffold));
          const steps: string[] = [];
          if (workspace && !workspace.includes)
            steps.push(
              `add ${relative(workspace.root, resolve(options.dir))}/* to pnpm-workspace.yaml packages`,
            );
          if (inWorkspace && scaffold.workspace) {
            const added = await addTsconfigReference(workspace.root, target);
            steps.push(
              added
                ? `added ${relative(workspace.root, target)} to the references of tsconfig.json`
                : `add { "path": "${relative(workspace.root, target)}" } to the references of your root tsconfig.json`,
            );
          }
          steps.push(`pnpm install, then pnpm test in ${relative(process.cwd(), target) || '.'}`);
          steps.push(
            `load it: plugins: { ./${join(relative(process.cwd(), target))}: {} } (path relative to the config)`,
          );
          process.stdout.write(
            `${written.map((path) => `wrote ${path}`).join('\n')}\n${steps.map((step) => `- ${step}`).join('\n')}\n`,
          );
          return 0;
        }),
      ),
  );
}
