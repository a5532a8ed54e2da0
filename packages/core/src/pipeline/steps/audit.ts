import type { Auditor } from '../../security/auditor.js';
import type { Step } from '../step.js';

/** The decision line before the handler runs, the outcome line after (with its duration). */
export function auditStep(auditor: Pick<Auditor, 'decision' | 'outcome'>): Step {
  return async function audit(ctx, request, next) {
    const { approvedBy } = request;
    const details = approvedBy ? { approver: approvedBy.key, requester: ctx.user.key } : {};
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
