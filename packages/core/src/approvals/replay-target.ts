import type { Invocation } from '../pipeline/context.js';
import type { Handler } from '../plugins/plugin.js';
import type { Router } from '../router/router.js';
import type { ApprovalRequest } from './approval-request.js';

/** What an approved request runs now: its invocation resolved again, with the current handler. */
export interface ReplayTarget {
  invocation: Invocation;
  handler: Handler;
}

/**
 * Resolves an approved request against the commands, listeners and actions registered now, so a
 * request for something since removed does not run. Undefined when nothing matches any more.
 */
export function replayTarget(
  router: Pick<Router, 'action' | 'actionInvocation' | 'resolveListener' | 'resolve'>,
  request: Pick<ApprovalRequest, 'invocation' | 'incoming'>,
): ReplayTarget | undefined {
  const { invocation } = request;
  if (invocation.kind === 'action') {
    const action = router.action(invocation.name);
    return action
      ? { invocation: router.actionInvocation(action, invocation.args), handler: action.spec.run }
      : undefined;
  }
  if (invocation.kind === 'listener') {
    const incoming = request.incoming.type === 'message' ? request.incoming : undefined;
    const match = router.resolveListener(invocation.name, invocation.text, incoming);
    return match ? { invocation: match.invocation, handler: match.listener.run } : undefined;
  }
  const route = router.resolve(invocation.text, true);
  return route.type === 'command'
    ? { invocation: route.invocation, handler: route.command.spec.run }
    : undefined;
}
