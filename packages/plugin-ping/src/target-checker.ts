import type { Metrics } from '@chatops/core';
import { checkTarget } from './check/check-target.js';
import type { CheckResult } from './check/types.js';
import type { LastKnownResults } from './last-known-results.js';
import type { Target } from './target-catalog.js';

/** Checks targets, remembers each result as the target's last known state and counts it in the metrics. */
export class TargetChecker {
  private readonly checks;

  constructor(
    private readonly lastKnown: LastKnownResults,
    private readonly now: () => number,
    metrics: Metrics,
  ) {
    this.checks = metrics.counter('chatops_ping_checks_total', 'Ping checks by target and result', [
      'target',
      'health',
    ]);
  }

  /** Checks one target; a check cut short by `signal` (shutdown) is neither counted nor remembered. */
  async check(target: Target, signal?: AbortSignal): Promise<CheckResult> {
    const result = await checkTarget(target.check, signal ? { now: this.now, signal } : { now: this.now });
    if (signal?.aborted) return result;
    this.checks.inc({ target: target.name, health: result.health });
    await this.lastKnown.record(result);
    return result;
  }

  /** Checks every target at once; results in the order given. */
  checkAll(targets: Target[], signal?: AbortSignal): Promise<CheckResult[]> {
    return Promise.all(targets.map((target) => this.check(target, signal)));
  }
}
