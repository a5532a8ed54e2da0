import type { Step } from '../step.js';

/** A click that is only checked (before a confirmation dialog) stops here: verified, allowed, not used. */
export const checkOnlyStep: Step = async function checkOnly(_ctx, request, next) {
  if (!request.checkOnly) return next();
  request.outcome.status = 'ok';
  request.outcome.message = 'allowed (checked only)';
};
