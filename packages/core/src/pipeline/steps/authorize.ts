import type { Auditor } from '../../security/auditor.js';
import type { Policy } from '../../security/policy.js';
import type { Step } from '../step.js';

/** The policy decides before anything runs; a rule may limit the arguments or ask for approval. */
export function authorizeStep(policy: Pick<Policy, 'decide'>, auditor: Pick<Auditor, 'decision'>): Step {
  return async function authorize(ctx, request, next) {
    const decision = policy.decide(ctx.user, ctx.invocation, ctx.conversation);
    if (!decision.allowed) {
      request.outcome.message = `not allowed: ${decision.reason}`;
      await auditor.decision(ctx, 'denied', { reason: decision.reason });
      await ctx.replyPrivately({
        text: `You can't run "${ctx.invocation.text}": ${decision.reason}.`,
        status: 'danger',
      });
      return;
    }
    // The handler gets the arguments in the spelling the rule allows.
    if (decision.args) ctx.invocation.args = decision.args;
    if (decision.approval) request.approvalRequirement = decision.approval;
    await next();
  };
}
