import type { Card } from '../chat/card.js';
import type { MessageRef } from '../chat/incoming.js';
import type { ApprovedBy, Context } from '../pipeline/context.js';
import type { DispatchResult } from '../pipeline/outcome.js';
import { AccessDeniedError, UserFacingError } from '../plugins/plugin.js';
import type { Auditor, AuditSubject } from '../security/auditor.js';
import type { ApprovalRequirement, Policy } from '../security/policy.js';
import type { Store } from '../store/store.js';
import { approvalCard, closedApprovalCard, describeInvocation } from './approval-cards.js';
import type { ApprovalRequest } from './approval-request.js';
import { ApprovalStore, type ApprovalSubject } from './approval-store.js';

/** What {@link Approvals} needs from the rest of the robot. */
export interface ApprovalsDeps {
  store: Store;
  now: () => number;
  /** Pending requests allowed per principal. */
  maxPending: number;
  auditor: Pick<Auditor, 'decision'>;
  policy: Pick<Policy, 'hasAnyRole'>;
  /** Replaces the request's card once it is closed. */
  update(ref: MessageRef, card: Card): Promise<void>;
  /**
   * Runs an approved request again through the whole pipeline, as its requester (identified again
   * from the stored incoming, so a revoked role stops it), with the approver recorded.
   */
  runApproved(request: ApprovalRequest, approver: ApprovedBy): Promise<DispatchResult>;
}

/**
 * Four-eyes approval, all of it: a request is created (and its card posted) by the pipeline's approval
 * step, approved or denied with the card's buttons, expired by a scheduled job, and replayed as its
 * requester once approved. Requests live in the store ({@link ApprovalStore} holds their keys), so
 * every replica sees one state and a request leaves `pending` once.
 */
export class Approvals {
  private readonly requests: ApprovalStore;

  constructor(private readonly deps: ApprovalsDeps) {
    this.requests = new ApprovalStore(deps.store, deps.now, deps.maxPending);
  }

  /**
   * Saves a pending request for what `subject` asked and audits it; the caller posts
   * {@link Approvals.card} and hands its reference to {@link Approvals.attachCard}.
   *
   * @throws ApprovalLimitError when the requester has too many requests waiting already.
   */
  async request(
    subject: ApprovalSubject & AuditSubject,
    requirement: ApprovalRequirement,
  ): Promise<ApprovalRequest> {
    const request = await this.requests.create(subject, requirement);
    await this.deps.auditor.decision(subject, 'approval-requested', {
      reason: `needs ${requirement.count} approval(s) by ${requirement.roles.join(' or ')}`,
    });
    return request;
  }

  /** The card that asks approvers. */
  card(request: ApprovalRequest): Card {
    return approvalCard(request, this.deps.now());
  }

  /** Remembers where the request's card was posted, so closing it updates that message. */
  async attachCard(id: string, card: MessageRef): Promise<void> {
    await this.requests.update(id, (current) => ({ ...current, card }));
  }

  /** The Approve button: records `ctx.user`'s approval and, with enough of them, runs the request. */
  async approve(ctx: Context, id: string): Promise<Card> {
    const pending = await this.loadPending(id);
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
    if (!this.deps.policy.hasAnyRole(ctx.user, pending.roles)) {
      throw new AccessDeniedError(
        `Only ${pending.roles.join(' or ')} may approve this.`,
        `approver needs role ${pending.roles.join(' or ')}`,
      );
    }
    const request = await this.change(pending.id, (current) => {
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
    await this.deps.auditor.decision(subjectOf(request), 'approved', {
      approver: ctx.user.key,
      requester: request.requester.key,
      reason: `${request.approvals.length} of ${request.count}`,
    });
    if (request.state !== 'approved') {
      return { ...this.card(request), footer: `Approved so far by ${approvers}` };
    }
    if (ctx.message)
      await ctx.update(ctx.message, closedApprovalCard(request, `Approved by ${approvers}; running it now.`));
    const result = await this.deps.runApproved(request, { key: ctx.user.key, name: ctx.user.name });
    const done =
      result.status === 'ok' ? 'done' : `${result.status}${result.message ? `: ${result.message}` : ''}`;
    return closedApprovalCard(request, `Approved by ${approvers}. ${describeInvocation(request)}: ${done}.`);
  }

  /** The Deny button: an approver denies, or the requester withdraws. */
  async deny(ctx: Context, id: string): Promise<Card> {
    const pending = await this.loadPending(id);
    const isRequester = ctx.user.key === pending.requester.key;
    if (!isRequester && !this.deps.policy.hasAnyRole(ctx.user, pending.roles)) {
      throw new AccessDeniedError(
        `Only ${pending.roles.join(' or ')} (or the requester) may deny this.`,
        `denier needs role ${pending.roles.join(' or ')} or to be the requester`,
      );
    }
    const request = await this.change(pending.id, (current) => {
      assertPending(current);
      return { ...current, state: 'rejected', closedBy: ctx.user.key };
    });
    await this.deps.auditor.decision(subjectOf(request), 'rejected', {
      approver: ctx.user.key,
      requester: request.requester.key,
    });
    return closedApprovalCard(
      request,
      isRequester ? 'Withdrawn by the requester.' : `Denied by @${ctx.user.name}.`,
    );
  }

  /** Closes requests that expired while nobody clicked (a scheduled job). */
  async expireDue(): Promise<void> {
    for (const request of await this.requests.pending()) {
      if (request.expiresAt <= this.deps.now()) await this.expire(request);
    }
  }

  private async loadPending(id: string): Promise<ApprovalRequest> {
    const request = await this.requests.get(id);
    if (!request) throw new UserFacingError('This approval request no longer exists.');
    assertPending(request);
    if (request.expiresAt <= this.deps.now()) {
      await this.expire(request);
      throw new UserFacingError('This request has expired. Ask for it again.');
    }
    return request;
  }

  /** Applies a click's change to the request atomically; the change re-checks the fresh request. */
  private async change(
    id: string,
    apply: (request: ApprovalRequest) => ApprovalRequest,
  ): Promise<ApprovalRequest> {
    const changed = await this.requests.update(id, apply);
    if (!changed) throw new UserFacingError('This approval request no longer exists.');
    return changed.after;
  }

  /** Closes an expired request, once: audits it and says so on its card. */
  private async expire(request: ApprovalRequest): Promise<void> {
    const changed = await this.requests.update(request.id, (current) =>
      current.state === 'pending' ? { ...current, state: 'expired' } : undefined,
    );
    if (!changed) return;
    const expired = changed.after;
    await this.deps.auditor.decision(subjectOf(expired), 'expired', { reason: 'no approval in time' });
    if (expired.card)
      await this.deps.update(expired.card, closedApprovalCard(expired, 'Expired without enough approvals.'));
  }
}

/** The same person: the same principal, or one email behind two accounts or platforms. */
function samePerson(a: { key: string; email?: string }, b: { key: string; email?: string }): boolean {
  return a.key === b.key || (!!a.email && !!b.email && a.email.toLowerCase() === b.email.toLowerCase());
}

/** Refuses a click on a request that is no longer pending. */
function assertPending(request: ApprovalRequest): void {
  if (request.state !== 'pending') throw new UserFacingError(`This request was already ${request.state}.`);
}

/** The audit subject of a request, outside of its own pipeline run. */
function subjectOf(request: ApprovalRequest): AuditSubject {
  return {
    id: request.id,
    user: request.requester,
    platform: request.incoming.platform,
    conversation: request.incoming.conversation,
    invocation: { ...request.invocation },
  };
}
