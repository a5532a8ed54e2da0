import type { Store } from '../store/store.js';
import type { Leases } from './lease.js';
import type { JobClaims } from './scheduler.js';

/** How long a claimed run is remembered: far longer than any tick could arrive late. */
const RUN_CLAIM_TTL_MS = 86_400_000;

/**
 * The claims by which processes sharing `store` (replicas, or `chatops run` beside `chatops start`)
 * split scheduled ticks: an interval job is held with a lease, and every run, interval or cron, is
 * claimed once by its due time (`job-run:<job>:<runAt>`, set-if-absent), so a tick runs once even
 * when a lease changes hands while its former holder was stalled.
 */
export function storeJobClaims(store: Store, leases: Leases): JobClaims {
  return {
    claimInterval: (job, ttlMs) => leases.hold(`job:${job}`, ttlMs),
    claimRun: (job, runAt) =>
      store.setIfAbsent(`chatops:job-run:${job}:${runAt}`, leases.holder, { ttlMs: RUN_CLAIM_TTL_MS }),
  };
}
