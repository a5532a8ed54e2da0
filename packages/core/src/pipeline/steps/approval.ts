import { ApprovalLimitError, type ApprovalRequest } from '../../approvals/approval-request.js';
import type { Approvals } from '../../approvals/approvals.js';
import type { Auditor } from '../../security/auditor.js';
import type { Step } from '../step.js';

/** Four eyes: when the rule asks for approval, the request is saved and a card asks the approvers. */
export function approvalStep(
  approvals: Pick<Approvals, 'request' | 'card' | 'attachCard'>,
  auditor: Pick<Auditor, 'decision'>,
): Step {
  return async function approval(ctx, request, next) {
    const requirement = request.approvalRequirement;
    if (!requirement || ctx.approvedBy) return next();
    let pending: ApprovalRequest;
    try {
      pending = await approvals.request(ctx, requirement);
    } catch (error) {
      if (!(error instanceof ApprovalLimitError)) throw error;
      request.outcome.message = `not allowed: ${error.message}`;
      await auditor.decision(ctx, 'denied', { reason: error.message });
      await ctx.replyPrivately({ text: `Approval not requested: ${error.message}.`, status: 'warn' });
      return;
    }
    const card = await ctx.reply(approvals.card(pending));
    if (card) await approvals.attachCard(pending.id, card);
    request.outcome.status = 'pending';
    request.outcome.message = `waiting for approval (request ${pending.id})`;
  };
}
