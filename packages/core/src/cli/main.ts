import { Command } from 'commander';
import { EXIT } from './exit-codes.js';
import { VERSION } from './version.js';
import { holdYoungGeneration } from './young-generation.js';

/**
 * The subcommands, in the order help lists them. Each module is imported only when needed: running
 * one command (`chatops start …`) loads that command alone; help, `--version` and anything else load
 * them all, so what they print is unchanged.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  start: async () => (await import('./start-command.js')).startCommand(),
  run: async () => (await import('./run-command.js')).runCommand(),
  'check-config': async () => (await import('./config-commands.js')).checkConfigCommand(),
  schema: async () => (await import('./config-commands.js')).schemaCommand(),
  audit: async () => (await import('./audit-commands.js')).auditCommand(),
  init: async () => (await import('./init-command.js')).initCommand(),
  new: async () => (await import('./new-plugin-command.js')).newCommand(),
};

const named = process.argv[2];
// Before the robot and its dependencies are imported; `chatops start` lets go once the robot runs.
if (named === 'start') holdYoungGeneration();
const needed = named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
const commands = await Promise.all(needed.map((name) => COMMANDS[name]!()));

const program = new Command('chatops')
  .description('A ChatOps robot for Slack, Mattermost and the shell')
  .version(VERSION)
  .exitOverride((error) => {
    process.exit(error.exitCode === 0 ? 0 : EXIT.usage);
  });
for (const command of commands) program.addCommand(command);

await program.parseAsync(process.argv);
