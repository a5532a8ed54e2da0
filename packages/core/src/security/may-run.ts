import type { Principal } from '../chat/principal.js';
import type { RegisteredAction, RegisteredCommand, RegisteredListener } from '../router/registered.js';
import type { Policy, PolicyDecision } from './policy.js';

/** A command, listener or button action, as far as the policy is concerned. */
export type Runnable = Pick<
  RegisteredCommand | RegisteredListener | RegisteredAction,
  'permission' | 'effect'
>;

/** What the policy says about the principal running it somewhere (channel and argument limits aside). */
export function decideAnywhere(policy: Policy, principal: Principal, entry: Runnable): PolicyDecision {
  const args = {};
  return policy.decide(
    principal,
    { permission: entry.permission(args), effect: entry.effect(args), args },
    { id: '*', kind: 'channel' },
    { ignoreConditions: true },
  );
}

/**
 * Whether the principal could run it somewhere (channel and argument limits aside): what `help`,
 * `whoami`, "did you mean" and usage replies may show them. Hidden commands are never shown.
 */
export function mayRun(policy: Policy, principal: Principal, entry: Runnable): boolean {
  if ('spec' in entry && (entry.spec as { hidden?: boolean }).hidden) return false;
  return decideAnywhere(policy, principal, entry).allowed;
}
