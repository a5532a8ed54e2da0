import type { Principal } from '../principal.js';
import type { RegisteredCommand } from '../router/registered.js';
import type { Policy } from './policy.js';

/**
 * Whether the principal could run the command somewhere (channel and argument limits aside): what
 * `help`, `whoami`, "did you mean" and usage replies may show them. Hidden commands are never shown.
 */
export function mayRun(policy: Policy, principal: Principal, command: RegisteredCommand): boolean {
  if (command.spec.hidden) return false;
  const args = {};
  const decision = policy.decide(
    principal,
    { permission: command.permission(args), effect: command.effect(args), args },
    { id: '*', kind: 'channel' },
    { ignoreConditions: true },
  );
  return decision.allowed;
}
