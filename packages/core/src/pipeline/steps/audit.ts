import type { Auditor } from '../../security/auditor.js';
import type { Context } from '../context.js';
import type { Step } from '../step.js';

/** For a replay of an approved request, its decision and outcome lines name approver and requester. */
export function approvalDetails(ctx: Context): { approver?: string; requester?: string } {
  return ctx.approvedBy ? { approver: ctx.approvedBy.key, requester: ctx.user.key } : {};
}

/** The decision line before the handler runs, the outcome line after (with its duration). */
export function auditStep(auditor: Pick<Auditor, 'decision' | 'outcome'>): Step {
  return async function audit(ctx, request, next) {
    const details = approvalDetails(ctx);
    await auditor.decision(ctx, 'allowed', details);
    const started = performance.now();
    await next();
    // A handler that refused the request has recorded a `denied` decision instead of an outcome.
    if (request.refusedByHandler) return;
    const { outcome } = request;
    const kind = request.timedOut ? 'timeout' : outcome.status === 'ok' ? 'ok' : 'error';
    await auditor.outcome(ctx, kind, {
      ...details,
      durationMs: Math.round(performance.now() - started),
      ...(outcome.message && outcome.status !== 'ok' ? { error: outcome.message } : {}),
    });
  };
}
