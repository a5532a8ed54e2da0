import { approvalActions } from '../approvals/approval-actions.js';
import type { Approvals } from '../approvals/approvals.js';
import { definePlugin } from '../plugins/plugin.js';
import type { Router } from '../router/router.js';
import type { Policy } from '../security/policy.js';
import { auditCommand } from './audit-command.js';
import { helpCommand } from './help-command.js';
import { type RobotStatus, statusCommand } from './status-command.js';
import { whoamiCommand } from './whoami-command.js';

/** What the built-in commands and actions read. */
export interface BuiltinServices {
  name: string;
  router: Router;
  policy: Policy;
  approvals: Approvals;
  /** The audit log the `audit` command reads, when it is on. */
  auditPath: string | undefined;
  status(): RobotStatus;
}

/** The robot's own commands and actions, registered as the `core` plugin. */
export function createBuiltins(services: BuiltinServices) {
  const { router, policy, approvals } = services;
  return definePlugin({
    name: 'core',
    setup(bot) {
      bot.command(helpCommand(services.name, router, policy));
      bot.command(whoamiCommand(router, policy));
      bot.command(statusCommand(services.status));
      bot.command(auditCommand(services.auditPath));
      for (const [id, spec] of Object.entries(approvalActions(approvals))) bot.action(id, spec);
      bot.every('1m', 'core.approvals.expire', () => approvals.expireDue());
    },
  });
}
