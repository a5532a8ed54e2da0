import type { Context } from '../pipeline/context.js';
import type { CommandSpec } from '../plugins/plugin.js';
import type { RegisteredAction, RegisteredCommand } from '../router/registered.js';
import type { Router } from '../router/router.js';
import { permissionLabel } from '../router/usage.js';
import { decideAnywhere } from '../security/may-run.js';
import type { Policy } from '../security/policy.js';

const SAMPLE = 12;

/** Up to a dozen names, then "…". */
function sample(names: readonly string[]): string {
  if (names.length === 0) return 'nothing';
  return names.length > SAMPLE ? `${names.slice(0, SAMPLE).join(', ')}, …` : names.join(', ');
}

/** The permissions of what `ctx.user` may run somewhere, marked when a rule asks for approval. */
function allowedPermissions(
  policy: Policy,
  user: Context['user'],
  registered: readonly (RegisteredCommand | RegisteredAction)[],
): string[] {
  return registered.flatMap((entry) => {
    const decision = decideAnywhere(policy, user, entry);
    if (!decision.allowed) return [];
    return [`${permissionLabel(entry)}${decision.approval ? ' (needs approval)' : ''}`];
  });
}

/** `whoami`: principal, roles and a sample of the permissions of what the caller may run and press. */
export function whoamiCommand(router: Router, policy: Policy): CommandSpec {
  return {
    name: 'whoami',
    effect: 'read',
    summary: 'Show who the bot thinks you are, your roles and what you may run',
    run: (ctx) => {
      const listed = router.commands.list().filter((command) => !command.spec.hidden);
      const commands = allowedPermissions(policy, ctx.user, listed);
      // The approval buttons are open to all; who may approve is checked per request.
      const buttons = router.actionList().filter((action) => action.plugin !== 'core');
      const actions = allowedPermissions(policy, ctx.user, buttons);
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
