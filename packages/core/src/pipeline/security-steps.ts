import {
  ApprovalLimitError,
  type ApprovalRequest,
  ApprovalStore,
  approvalCard,
} from '../approvals/approvals.js';
import { processMetrics } from '../runtime/metrics.js';
import type { Robot } from '../runtime/robot.js';
import type { ApprovalRequirement } from '../security/policy.js';
import { RateLimiter } from '../security/rate-limiter.js';
import type { Middleware } from './context.js';
import type { RequestOutcome } from './outcome.js';
import { unroutableMiddleware } from './unroutable.js';

function outcomeOf(ctx: { state: Record<string, unknown> }): RequestOutcome {
  return ctx.state['outcome'] as RequestOutcome;
}

/**
 * The built-in pipeline, in order (the caller is identified before it starts): rate limit, unknown
 * commands and usage errors (answered and audited here), authorize (policy before
 * dispatch), single use of write buttons, approval (four eyes), audit (decision line before the handler,
 * outcome line after). Each refusal is audited and answered privately.
 */
export function securityMiddleware(robot: Robot): Middleware[] {
  const limit = robot.config.auth.rateLimit;
  const limiter = limit === false ? undefined : new RateLimiter(robot.store, limit);
  const approvals = new ApprovalStore(robot.store, robot.now, robot.config.auth.maxPendingApprovals);

  const rateLimit: Middleware = async (ctx, next) => {
    if (!limiter || ctx.state['approved'] || ctx.state['nested']) return next();
    const taken = await limiter.take(ctx.user.key);
    if (taken.allowed) return next();
    const wait = taken.retryAfterSeconds;
    processMetrics.rateLimited.inc();
    outcomeOf(ctx).message = `rate limited: try again in ${wait}s`;
    await robot.auditor.decision(ctx, 'rate-limited', { reason: outcomeOf(ctx).message });
    await ctx.replyPrivately({
      text: `Slow down: too many requests. Try again in ${wait}s.`,
      status: 'warn',
    });
  };

  const authorize: Middleware = async (ctx, next) => {
    const decision = robot.policy.decide(ctx.user, ctx.invocation, ctx.conversation);
    if (!decision.allowed) {
      outcomeOf(ctx).message = `not allowed: ${decision.reason}`;
      await robot.auditor.decision(ctx, 'denied', { reason: decision.reason });
      await ctx.replyPrivately({
        text: `You can't run "${ctx.invocation.text}": ${decision.reason}.`,
        status: 'danger',
      });
      return;
    }
    if (decision.args) ctx.invocation.args = decision.args;
    if (decision.approval) ctx.state['approvalRequirement'] = decision.approval;
    await next();
  };

  // A button is single-use when what it finally runs is a write: the action itself, or a command the
  // action runs with `ctx.execute` (a script card's button). The first write of a click uses it up.
  const singleUse: Middleware = async (ctx, next) => {
    const nonce = ctx.state['nonce'] as string | undefined;
    if (!nonce || ctx.invocation.effect !== 'write' || ctx.state['approved']) return next();
    const use = ctx.state['buttonUse'] as { consumed: boolean } | undefined;
    if (use?.consumed) return next();
    const key = `chatops:nonce:${nonce}`;
    const expires = (ctx.state['tokenExpires'] as number | undefined) ?? robot.now() + 86_400_000;
    const first = ctx.state['checkOnly']
      ? (await robot.store.get(key)) === undefined
      : await robot.store.setIfAbsent(key, 1, { ttlMs: Math.max(1000, expires - robot.now() + 60_000) });
    if (first) {
      if (use && !ctx.state['checkOnly']) use.consumed = true;
      return next();
    }
    outcomeOf(ctx).message = 'this button was already used';
    await robot.auditor.decision(ctx, 'invalid-token', { reason: 'replayed' });
    await ctx.replyPrivately({ text: 'This button was already used.', status: 'warn' });
  };

  // A click that is only checked (before a confirmation) stops here: verified, allowed, not used.
  const checkOnly: Middleware = async (ctx, next) => {
    if (!ctx.state['checkOnly']) return next();
    const outcome = outcomeOf(ctx);
    outcome.status = 'ok';
    outcome.message = 'allowed (checked only)';
  };

  const approval: Middleware = async (ctx, next) => {
    const requirement = ctx.state['approvalRequirement'] as ApprovalRequirement | undefined;
    if (!requirement || ctx.state['approved']) return next();
    let request: ApprovalRequest;
    try {
      request = await approvals.create(ctx, requirement);
    } catch (error) {
      if (!(error instanceof ApprovalLimitError)) throw error;
      outcomeOf(ctx).message = `not allowed: ${error.message}`;
      await robot.auditor.decision(ctx, 'denied', { reason: error.message });
      await ctx.replyPrivately({ text: `Approval not requested: ${error.message}.`, status: 'warn' });
      return;
    }
    await robot.auditor.decision(ctx, 'approval-requested', {
      reason: `needs ${requirement.count} approval(s) by ${requirement.roles.join(' or ')}`,
    });
    const card = await ctx.reply(approvalCard(request, robot.now()));
    if (card) await approvals.update(request.id, (current) => ({ ...current, card }));
    const outcome = outcomeOf(ctx);
    outcome.status = 'pending';
    outcome.message = `waiting for approval (request ${request.id})`;
  };

  const audit: Middleware = async (ctx, next) => {
    const approver = ctx.state['approver'] as string | undefined;
    const details = approver ? { approver, requester: ctx.user.key } : {};
    await robot.auditor.decision(ctx, 'allowed', details);
    const started = performance.now();
    await next();
    const outcome = outcomeOf(ctx);
    // A handler that refused the request has recorded a `denied` decision instead of an outcome.
    if (ctx.state['refusedByHandler']) return;
    const kind =
      ctx.state['outcomeKind'] === 'timeout' ? 'timeout' : outcome.status === 'ok' ? 'ok' : 'error';
    await robot.auditor.outcome(ctx, kind, {
      ...details,
      durationMs: Math.round(performance.now() - started),
      ...(outcome.message && outcome.status !== 'ok' ? { error: outcome.message } : {}),
    });
  };

  return [rateLimit, unroutableMiddleware(robot), authorize, singleUse, checkOnly, approval, audit];
}
