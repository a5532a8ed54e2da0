import { flushCompileCache } from 'node:module';
import { Command } from 'commander';
import { UsageError } from '../plugins/plugin.js';
import { startTracing } from '../runtime/tracing.js';
import { createShellAdapterModule } from '../shell/shell-adapter.js';
import { createRobot, loadCliConfig } from './boot.js';
import { runCli } from './run-cli.js';
import { VERSION } from './version.js';
import { releaseYoungGeneration } from './young-generation.js';

/** `chatops start`: runs the bot until SIGINT/SIGTERM (or the end of piped input on the shell adapter). */
export function startCommand(): Command {
  return new Command('start')
    .description('Run the bot')
    .option('-c, --config <file>', 'config file (default: search for chatops.config.* and .chatopsrc*)')
    .option('-a, --adapter <name>', 'override the adapter: shell, slack, mattermost, a package or a path')
    .option('--as <user>', 'shell adapter: start as this local user (principal shell:<user>)')
    .action((options: { config?: string; adapter?: string; as?: string }) =>
      runCli(async () => {
        const loaded = await loadCliConfig(options);
        if (options.as !== undefined && loaded.config.adapter !== 'shell')
          throw new UsageError(
            `--as works only on the shell adapter (this config uses ${loaded.config.adapter})`,
          );
        let finished!: () => void;
        const done = new Promise<void>((resolve) => {
          finished = resolve;
        });
        let stopping: Promise<void> | undefined;
        const stop = (reason: string) => {
          if (stopping) return;
          robot.log.info({ reason }, 'shutting down');
          stopping = robot.stop().finally(finished);
        };
        const shell =
          loaded.config.adapter === 'shell'
            ? createShellAdapterModule({
                onEnd: () => stop('end of input'),
                ...(options.as !== undefined ? { user: options.as } : {}),
              })
            : undefined;
        const robot = createRobot(loaded, shell as never);
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
        const tracing = await startTracing({ serviceVersion: VERSION, log: robot.log });
        try {
          await robot.start();
          releaseYoungGeneration();
          // Written now rather than at exit, so a robot that is killed still leaves the cache for the next start.
          flushCompileCache();
          await done;
        } finally {
          await tracing?.shutdown();
        }
        return 0;
      }),
    );
}
