import type { CommandSpec } from '../plugin.js';
import type { Robot } from '../robot.js';
import { mayRun } from '../security/may-run.js';

/** `whoami`: principal, roles and a sample of what the caller may run. */
export function whoamiCommand(robot: Robot): CommandSpec {
  return {
    name: 'whoami',
    effect: 'read',
    summary: 'Show who the bot thinks you are, your roles and what you may run',
    run: (ctx) => {
      const allowed = robot.router.commands
        .list()
        .filter((command) => mayRun(robot.policy, ctx.user, command))
        .map((command) => command.permission({}));
      const sample = allowed.slice(0, 12).join(', ');
      return {
        title: ctx.user.name,
        status: 'info',
        fields: [
          { label: 'Principal', value: ctx.user.key, short: true },
          { label: 'Email', value: ctx.user.email ?? 'unknown', short: true },
          { label: 'Roles', value: ctx.user.roles.length ? ctx.user.roles.join(', ') : 'none', short: true },
          { label: 'Conversation', value: ctx.conversation.name ?? ctx.conversation.id, short: true },
          {
            label: `May run (${allowed.length})`,
            value: allowed.length > 12 ? `${sample}, …` : sample || 'nothing',
          },
        ],
      };
    },
  };
}
