import type { MessageRef } from '@chatops/core';
import type { Health } from '../check/types.js';

/** An ongoing outage that has been announced. */
export interface Outage {
  /** Time of the first failed check of the streak. */
  since: number;
  /** Time of the last alert or reminder. */
  notifiedAt: number;
  /** The alert messages, updated when the target recovers. */
  alerts: MessageRef[];
}

/** What the monitor remembers about one target (kept in the store, so it survives restarts). */
export interface OutageState {
  consecutiveFailures: number;
  /** Time of the first failed check of the current streak. */
  failingSince?: number;
  outage?: Outage;
}

/** When to alert and remind. */
export interface AlertPolicy {
  /** Consecutive failures before alerting. */
  failures: number;
  /** Remind this often while down; 0 for never. */
  remindEveryMs: number;
}

/** What the monitor should announce after a check. */
export type OutageEvent =
  | { kind: 'alert' }
  | { kind: 'remind'; downForMs: number }
  | { kind: 'recover'; since: number; downForMs: number; alerts: MessageRef[] };

/** The state before any check. */
export const NO_OUTAGE: OutageState = { consecutiveFailures: 0 };

/**
 * Advances one target's state with a new check: an alert only after `failures` unhealthy checks in a
 * row (a single blip never alerts), reminders while it stays down, a recovery once it passes again.
 * DEGRADED counts as up: the target answers, only slowly.
 */
export function advanceOutage(
  state: OutageState,
  health: Health,
  now: number,
  policy: AlertPolicy,
): { state: OutageState; event?: OutageEvent } {
  if (health !== 'unhealthy') {
    if (!state.outage) return { state: NO_OUTAGE };
    const { since, alerts } = state.outage;
    return { state: NO_OUTAGE, event: { kind: 'recover', since, downForMs: now - since, alerts } };
  }
  const consecutiveFailures = state.consecutiveFailures + 1;
  const failingSince = state.failingSince ?? now;
  const { outage } = state;
  if (outage) {
    const next: OutageState = { consecutiveFailures, failingSince, outage };
    const due = policy.remindEveryMs > 0 && now - outage.notifiedAt >= policy.remindEveryMs;
    if (!due) return { state: next };
    return {
      state: { ...next, outage: { ...outage, notifiedAt: now } },
      event: { kind: 'remind', downForMs: now - outage.since },
    };
  }
  if (consecutiveFailures < policy.failures) return { state: { consecutiveFailures, failingSince } };
  return {
    state: {
      consecutiveFailures,
      failingSince,
      outage: { since: failingSince, notifiedAt: now, alerts: [] },
    },
    event: { kind: 'alert' },
  };
}
