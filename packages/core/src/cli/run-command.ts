import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { startTracing } from '../runtime/tracing.js';
import { createShellAdapterModule, type ShellAdapter } from '../shell/shell-adapter.js';
import { createRobot, loadCliConfig } from './boot.js';
import { exitCodeFor } from './exit-codes.js';
import { runCli } from './run-cli.js';
import { VERSION } from './version.js';

/** `chatops run "<command>"`: one command through the whole pipeline on the shell adapter, then exit. */
export function runCommand(): Command {
  return new Command('run')
    .description('Run one command through the whole pipeline (auth, audit, handler) and print the reply')
    .argument('<command>', 'the command line, e.g. "ping uat"')
    .option('-c, --config <file>', 'config file')
    .option('--as <user>', 'run as this local user (principal shell:<user>)')
    .addHelpText(
      'after',
      '\nExit codes: 0 done, 1 failed or denied, 2 usage or configuration error, 3 waiting for approval (not run yet).',
    )
    .action((commandLine: string, options: { config?: string; as?: string }) =>
      runCli(async () => {
        const loaded = await loadCliConfig(options, { adapter: 'shell', http: undefined });
        // One command's output is its reply: keep the start/stop info lines out of it.
        if (loaded.config.log.level === 'info') loaded.config.log.level = 'warn';
        let adapter: ShellAdapter | undefined;
        const module = createShellAdapterModule({
          listen: false,
          input: new PassThrough(),
          ...(options.as ? { user: options.as } : {}),
          onCreate: (created) => {
            adapter = created;
          },
        });
        const robot = createRobot(loaded, module as never);
        const tracing = await startTracing({ serviceVersion: VERSION, log: robot.log });
        try {
          await robot.start({ scheduler: false });
          const result = await adapter!.say(commandLine);
          return exitCodeFor(result.status);
        } finally {
          await robot.stop();
          await tracing?.shutdown();
        }
      }),
    );
}
