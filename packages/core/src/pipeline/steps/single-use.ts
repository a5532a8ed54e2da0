import type { Auditor } from '../../security/auditor.js';
import type { Store } from '../../store/store.js';
import type { Step } from '../step.js';
import { isCheckOnly } from './check-only.js';

/**
 * A button is single-use when what it finally runs is a write: the action itself, or a command the
 * action runs with `ctx.execute` (a script card's button). The first write of a click uses it up, with
 * an atomic set-if-absent of its nonce, so a second click on any replica is refused.
 */
export function singleUseStep(
  store: Pick<Store, 'get' | 'setIfAbsent'>,
  now: () => number,
  auditor: Pick<Auditor, 'decision'>,
): Step {
  return async function singleUse(ctx, request, next) {
    const { button } = request;
    if (!button || ctx.invocation.effect !== 'write' || ctx.approvedBy || button.consumed) return next();
    const key = `chatops:nonce:${button.nonce}`;
    const checkOnly = isCheckOnly(ctx);
    const first = checkOnly
      ? (await store.get(key)) === undefined
      : await store.setIfAbsent(key, 1, { ttlMs: Math.max(1000, button.tokenExpires - now() + 60_000) });
    if (first) {
      if (!checkOnly) button.consumed = true;
      return next();
    }
    request.outcome.message = 'this button was already used';
    await auditor.decision(ctx, 'invalid-token', { reason: 'replayed' });
    await ctx.replyPrivately({ text: 'This button was already used.', status: 'warn' });
  };
}
