import type { Context } from '../context.js';
import type { ActionSpec } from '../plugin.js';
import { AccessDeniedError, UserFacingError } from '../plugin.js';
import type { Robot } from '../robot.js';
import {
  type ApprovalRequest,
  ApprovalStore,
  approvalCard,
  closedApprovalCard,
  describeInvocation,
} from '../security/approvals.js';
import type { AuditSubject } from '../security/auditor.js';

/** The same person: the same principal, or one email behind two accounts or platforms. */
function samePerson(a: { key: string; email?: string }, b: { key: string; email?: string }): boolean {
  return a.key === b.key || (!!a.email && !!b.email && a.email.toLowerCase() === b.email.toLowerCase());
}

async function loadPending(store: ApprovalStore, robot: Robot, ctx: Context): Promise<ApprovalRequest> {
  const request = await store.get(String(ctx.args['request']));
  if (!request) throw new UserFacingError('This approval request no longer exists.');
  if (request.state !== 'pending') throw new UserFacingError(`This request was already ${request.state}.`);
  if (request.expiresAt <= robot.now()) {
    await expire(robot, store, request);
    throw new UserFacingError('This request has expired. Ask for it again.');
  }
  return request;
}

async function claimClose(store: ApprovalStore, request: ApprovalRequest, by: string): Promise<void> {
  if (!(await store.claimClose(request, by)))
    throw new UserFacingError('This request was already closed by someone else.');
}

/** Closes an expired request: audits it and says so on its card. */
export async function expire(robot: Robot, store: ApprovalStore, request: ApprovalRequest): Promise<void> {
  if (!(await store.claimClose(request, 'expiry'))) return;
  request.state = 'expired';
  await store.save(request);
  await robot.auditor.decision(requestContext(request), 'expired', { reason: 'no approval in time' });
  if (request.card)
    await robot.update(request.card, closedApprovalCard(request, 'Expired without enough approvals.'));
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
  const store = new ApprovalStore(robot.store, robot.now);
  return {
    'core.approval.approve': {
      effect: 'read',
      run: async (ctx) => {
        const request = await loadPending(store, robot, ctx);
        if (samePerson(ctx.user, request.requester))
          throw new AccessDeniedError(
            'You cannot approve your own request.',
            'the requester cannot approve their own request',
          );
        if (ctx.user.emailUnknown || request.requester.emailUnknown) {
          const reason = `the ${ctx.user.emailUnknown ? "approver's" : "requester's"} email could not be looked up, so the bot cannot tell the two apart`;
          throw new AccessDeniedError(
            `You cannot approve this right now: ${reason}. Try again in a moment.`,
            reason,
          );
        }
        if (!robot.policy.hasAnyRole(ctx.user, request.roles)) {
          throw new AccessDeniedError(
            `Only ${request.roles.join(' or ')} may approve this.`,
            `approver needs role ${request.roles.join(' or ')}`,
          );
        }
        if (request.approvals.some((approval) => samePerson(ctx.user, approval))) {
          throw new UserFacingError('You already approved this request.');
        }
        request.approvals.push({
          key: ctx.user.key,
          name: ctx.user.name,
          ...(ctx.user.email ? { email: ctx.user.email } : {}),
        });
        const approvers = request.approvals.map((approval) => `@${approval.name}`).join(', ');
        const enough = request.approvals.length >= request.count;
        if (enough) await claimClose(store, request, ctx.user.key);
        await robot.auditor.decision(requestContext(request), 'approved', {
          approver: ctx.user.key,
          requester: request.requester.key,
          reason: `${request.approvals.length} of ${request.count}`,
        });
        if (!enough) {
          await store.save(request);
          return { ...approvalCard(request, robot.now()), footer: `Approved so far by ${approvers}` };
        }
        request.state = 'approved';
        request.closedBy = ctx.user.key;
        await store.save(request);
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
        const request = await loadPending(store, robot, ctx);
        const isRequester = ctx.user.key === request.requester.key;
        if (!isRequester && !robot.policy.hasAnyRole(ctx.user, request.roles)) {
          throw new AccessDeniedError(
            `Only ${request.roles.join(' or ')} (or the requester) may deny this.`,
            `denier needs role ${request.roles.join(' or ')} or to be the requester`,
          );
        }
        await claimClose(store, request, ctx.user.key);
        request.state = 'rejected';
        request.closedBy = ctx.user.key;
        await store.save(request);
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
  const store = new ApprovalStore(robot.store, robot.now);
  for (const request of await store.pending()) {
    if (request.expiresAt <= robot.now()) await expire(robot, store, request);
  }
}
