import type { CommandSpec } from '../plugin.js';
import type { Robot } from '../robot.js';
import { permissionLabel } from '../router/usage.js';
import { mayRun } from './help-command.js';

const SAMPLE = 12;

/** Up to a dozen names, then "…". */
function sample(names: readonly string[]): string {
  if (names.length === 0) return 'nothing';
  return names.length > SAMPLE ? `${names.slice(0, SAMPLE).join(', ')}, …` : names.join(', ');
}

/** `whoami`: principal, roles and a sample of the permissions of what the caller may run and press. */
export function whoamiCommand(robot: Robot): CommandSpec {
  return {
    name: 'whoami',
    effect: 'read',
    summary: 'Show who the bot thinks you are, your roles and what you may run',
    run: (ctx) => {
      const commands = robot.router.commands
        .list()
        .filter((command) => !command.spec.hidden && mayRun(robot, ctx.user, command))
        .map(permissionLabel);
      // The approval buttons are open to all; who may approve is checked per request.
      const actions = robot.router
        .actionList()
        .filter((action) => action.plugin !== 'core' && mayRun(robot, ctx.user, action))
        .map(permissionLabel);
      return {
        title: ctx.user.name,
        status: 'info',
        fields: [
          { label: 'Principal', value: ctx.user.key, short: true },
          { label: 'Email', value: ctx.user.email ?? 'unknown', short: true },
          { label: 'Roles', value: ctx.user.roles.length ? ctx.user.roles.join(', ') : 'none', short: true },
          { label: 'Conversation', value: ctx.conversation.name ?? ctx.conversation.id, short: true },
          { label: `May run (${commands.length})`, value: sample(commands) },
          { label: `May press (${actions.length})`, value: sample(actions) },
        ],
      };
    },
  };
}
