import { approvalActions, expireApprovals } from '../approvals/approval-actions.js';
import { definePlugin } from '../plugins/plugin.js';
import type { Robot } from '../runtime/robot.js';
import { auditCommand } from './audit-command.js';
import { helpCommand } from './help-command.js';
import { statusCommand } from './status-command.js';
import { whoamiCommand } from './whoami-command.js';

/** The robot's own commands and actions, registered as the `core` plugin. */
export function createBuiltins(robot: Robot) {
  return definePlugin({
    name: 'core',
    setup(bot) {
      bot.command(helpCommand(robot));
      bot.command(whoamiCommand(robot));
      bot.command(statusCommand(robot));
      bot.command(auditCommand(robot));
      for (const [id, spec] of Object.entries(approvalActions(robot))) bot.action(id, spec);
      bot.every('1m', 'core.approvals.expire', () => expireApprovals(robot));
    },
  });
}
