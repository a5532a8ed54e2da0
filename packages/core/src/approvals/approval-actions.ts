import type { Context } from '../pipeline/context.js';
import type { ActionSpec } from '../plugins/plugin.js';
import { AccessDeniedError, UserFacingError } from '../plugins/plugin.js';
import type { Robot } from '../runtime/robot.js';
import type { AuditSubject } from '../security/auditor.js';
import {
  type ApprovalRequest,
  ApprovalStore,
  approvalCard,
  closedApprovalCard,
  describeInvocation,
} from './approvals.js';

/** The same person: the same principal, or one email behind two accounts or platforms. */
function samePerson(a: { key: string; email?: string }, b: { key: string; email?: string }): boolean {
  return a.key === b.key || (!!a.email && !!b.email && a.email.toLowerCase() === b.email.toLowerCase());
}

/** Refuses a click on a request that is no longer pending. */
function assertPending(request: ApprovalRequest): void {
  if (request.state !== 'pending') throw new UserFacingError(`This request was already ${request.state}.`);
}

async function loadPending(store: ApprovalStore, robot: Robot, ctx: Context): Promise<ApprovalRequest> {
  const request = await store.get(String(ctx.args['request']));
  if (!request) throw new UserFacingError('This approval request no longer exists.');
  assertPending(request);
  if (request.expiresAt <= robot.now()) {
    await expire(robot, store, request);
    throw new UserFacingError('This request has expired. Ask for it again.');
  }
  return request;
}

/** Applies a click's change to the request atomically; the change re-checks the fresh request. */
async function change(
  store: ApprovalStore,
  id: string,
  apply: (request: ApprovalRequest) => ApprovalRequest,
): Promise<ApprovalRequest> {
  const changed = await store.update(id, apply);
  if (!changed) throw new UserFacingError('This approval request no longer exists.');
  return changed.after;
}

/** Closes an expired request, once: audits it and says so on its card. */
export async function expire(robot: Robot, store: ApprovalStore, request: ApprovalRequest): Promise<void> {
  const changed = await store.update(request.id, (current) =>
    current.state === 'pending' ? { ...current, state: 'expired' } : undefined,
  );
  if (!changed) return;
  const expired = changed.after;
  await robot.auditor.decision(requestContext(expired), 'expired', { reason: 'no approval in time' });
  if (expired.card)
    await robot.update(expired.card, closedApprovalCard(expired, 'Expired without enough approvals.'));
}

/** The audit subject of a request, outside of its own pipeline run. */
function requestContext(request: ApprovalRequest): AuditSubject {
  return {
    id: request.id,
    user: request.requester,
    platform: request.incoming.platform,
    conversation: request.incoming.conversation,
    invocation: { ...request.invocation },
  };
}

/** The Approve and Deny buttons of approval cards. Who may press them is checked here, per request. */
export function approvalActions(robot: Robot): Record<string, ActionSpec> {
  const store = new ApprovalStore(robot.store, robot.now, robot.config.auth.maxPendingApprovals);
  return {
    'core.approval.approve': {
      effect: 'read',
      run: async (ctx) => {
        const pending = await loadPending(store, robot, ctx);
        if (samePerson(ctx.user, pending.requester))
          throw new AccessDeniedError(
            'You cannot approve your own request.',
            'the requester cannot approve their own request',
          );
        if (ctx.user.emailUnknown || pending.requester.emailUnknown) {
          const reason = `the ${ctx.user.emailUnknown ? "approver's" : "requester's"} email could not be looked up, so the bot cannot tell the two apart`;
          throw new AccessDeniedError(
            `You cannot approve this right now: ${reason}. Try again in a moment.`,
            reason,
          );
        }
        if (!robot.policy.hasAnyRole(ctx.user, pending.roles)) {
          throw new AccessDeniedError(
            `Only ${pending.roles.join(' or ')} may approve this.`,
            `approver needs role ${pending.roles.join(' or ')}`,
          );
        }
        const request = await change(store, pending.id, (current) => {
          assertPending(current);
          if (current.approvals.some((approval) => samePerson(ctx.user, approval))) {
            throw new UserFacingError('You already approved this request.');
          }
          current.approvals.push({
            key: ctx.user.key,
            name: ctx.user.name,
            ...(ctx.user.email ? { email: ctx.user.email } : {}),
          });
          if (current.approvals.length >= current.count) {
            current.state = 'approved';
            current.closedBy = ctx.user.key;
          }
          return current;
        });
        const approvers = request.approvals.map((approval) => `@${approval.name}`).join(', ');
        await robot.auditor.decision(requestContext(request), 'approved', {
          approver: ctx.user.key,
          requester: request.requester.key,
          reason: `${request.approvals.length} of ${request.count}`,
        });
        if (request.state !== 'approved') {
          return { ...approvalCard(request, robot.now()), footer: `Approved so far by ${approvers}` };
        }
        if (ctx.message)
          await ctx.update(
            ctx.message,
            closedApprovalCard(request, `Approved by ${approvers}; running it now.`),
          );
        const result = await robot.replayApproved(request, ctx.user);
        const done =
          result.status === 'ok' ? 'done' : `${result.status}${result.message ? `: ${result.message}` : ''}`;
        return closedApprovalCard(
          request,
          `Approved by ${approvers}. ${describeInvocation(request)}: ${done}.`,
        );
      },
    },
    'core.approval.deny': {
      effect: 'read',
      run: async (ctx) => {
        const pending = await loadPending(store, robot, ctx);
        const isRequester = ctx.user.key === pending.requester.key;
        if (!isRequester && !robot.policy.hasAnyRole(ctx.user, pending.roles)) {
          throw new AccessDeniedError(
            `Only ${pending.roles.join(' or ')} (or the requester) may deny this.`,
            `denier needs role ${pending.roles.join(' or ')} or to be the requester`,
          );
        }
        const request = await change(store, pending.id, (current) => {
          assertPending(current);
          return { ...current, state: 'rejected', closedBy: ctx.user.key };
        });
        await robot.auditor.decision(requestContext(request), 'rejected', {
          approver: ctx.user.key,
          requester: request.requester.key,
        });
        return closedApprovalCard(
          request,
          isRequester ? 'Withdrawn by the requester.' : `Denied by @${ctx.user.name}.`,
        );
      },
    },
  };
}

/** Closes requests that expired while nobody clicked (runs on the scheduler). */
export async function expireApprovals(robot: Robot): Promise<void> {
  const store = new ApprovalStore(robot.store, robot.now, robot.config.auth.maxPendingApprovals);
  for (const request of await store.pending()) {
    if (request.expiresAt <= robot.now()) await expire(robot, store, request);
  }
}
