import { Command } from 'commander';
import { auditCommand } from './audit-commands.js';
import { VERSION } from './boot.js';
import { checkConfigCommand, schemaCommand } from './config-commands.js';
import { EXIT } from './exit-codes.js';
import { initCommand } from './init-command.js';
import { newCommand } from './new-plugin-command.js';
import { runCommand } from './run-command.js';
import { startCommand } from './start-command.js';

const program = new Command('chatops')
  .description('A ChatOps robot for Slack, Mattermost and the shell')
  .version(VERSION)
  .addCommand(startCommand())
  .addCommand(runCommand())
  .addCommand(checkConfigCommand())
  .addCommand(schemaCommand())
  .addCommand(auditCommand())
  .addCommand(initCommand())
  .addCommand(newCommand())
  .exitOverride((error) => {
    process.exit(error.exitCode === 0 ? 0 : EXIT.usage);
  });

await program.parseAsync(process.argv);
