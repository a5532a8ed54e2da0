import type { Approvals } from '../approvals/approvals.js';
import type { Router } from '../router/router.js';
import type { Auditor } from '../security/auditor.js';
import type { Policy } from '../security/policy.js';
import type { RateLimiter } from '../security/rate-limiter.js';
import type { Store } from '../store/store.js';
import type { Step } from './step.js';
import { approvalStep } from './steps/approval.js';
import { auditStep } from './steps/audit.js';
import { authorizeStep } from './steps/authorize.js';
import { checkOnlyStep } from './steps/check-only.js';
import { rateLimitStep } from './steps/rate-limit.js';
import { singleUseStep } from './steps/single-use.js';
import { unroutableStep } from './steps/unroutable.js';

/** What the built-in steps are built from. */
export interface PipelineServices {
  policy: Policy;
  auditor: Auditor;
  approvals: Approvals;
  router: Pick<Router, 'commands'>;
  store: Pick<Store, 'get' | 'setIfAbsent'>;
  /** Undefined when `auth.rateLimit` is off. */
  limiter: RateLimiter | undefined;
  now: () => number;
}

/**
 * The request pipeline's built-in steps, in the order they run. Before them the caller is identified
 * (platform user, email, roles from the policy; for `ctx.execute`, the roles again). After them come
 * the plugins' middleware (`bot.use`), in load order, then the handler. Each refusal is audited and
 * answered privately.
 *
 * 1. `rateLimit`: a token from the requester's bucket.
 * 2. `unroutable`: unknown commands, usage errors and a bare mention are answered and audited here.
 * 3. `authorize`: the policy (roles, channels, argument limits); may ask for approval.
 * 4. `singleUse`: a write button works once.
 * 5. `checkOnly`: a click only checked before its confirmation dialog stops here.
 * 6. `approval`: four eyes; the request waits for its approvers.
 * 7. `audit`: the decision line before the handler, the outcome line after.
 */
export function builtInSteps(services: PipelineServices): readonly Step[] {
  const { policy, auditor } = services;
  return [
    rateLimitStep(services.limiter, auditor),
    unroutableStep(services.router, policy, auditor),
    authorizeStep(policy, auditor),
    singleUseStep(services.store, services.now, auditor),
    checkOnlyStep,
    approvalStep(services.approvals, auditor),
    auditStep(auditor),
  ];
}
