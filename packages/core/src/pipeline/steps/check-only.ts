import type { Context } from '../context.js';
import type { Step } from '../step.js';

/** Whether the request is a click only checked before its confirmation dialog: nothing runs. */
export function isCheckOnly(ctx: Context): boolean {
  return ctx.incoming.type === 'action' && ctx.incoming.checkOnly === true;
}

/** A click that is only checked (before a confirmation dialog) stops here: verified, allowed, not used. */
export const checkOnlyStep: Step = async function checkOnly(ctx, request, next) {
  if (!isCheckOnly(ctx)) return next();
  request.outcome.status = 'ok';
  request.outcome.message = 'allowed (checked only)';
};
