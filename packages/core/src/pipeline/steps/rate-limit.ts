import { processMetrics } from '../../runtime/metrics.js';
import type { Auditor } from '../../security/auditor.js';
import type { RateLimiter } from '../../security/rate-limiter.js';
import type { Step } from '../step.js';

/**
 * Takes a token from the requester's bucket (shared by the replicas). A replay of an approved request
 * and a nested `ctx.execute` are not counted again.
 */
export function rateLimitStep(limiter: RateLimiter | undefined, auditor: Pick<Auditor, 'decision'>): Step {
  return async function rateLimit(ctx, request, next) {
    if (!limiter || ctx.approvedBy || ctx.parent !== undefined) return next();
    const taken = await limiter.take(ctx.user.key);
    if (taken.allowed) return next();
    const wait = taken.retryAfterSeconds;
    processMetrics.rateLimited.inc();
    request.outcome.message = `rate limited: try again in ${wait}s`;
    await auditor.decision(ctx, 'rate-limited', { reason: request.outcome.message });
    await ctx.replyPrivately({
      text: `Slow down: too many requests. Try again in ${wait}s.`,
      status: 'warn',
    });
  };
}
