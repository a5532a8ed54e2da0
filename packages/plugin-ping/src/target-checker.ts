import { checkTarget } from './check/check-target.js';
import type { CheckResult } from './check/types.js';
import type { LastKnownResults } from './last-known-results.js';
import type { Target } from './target-catalog.js';

/** Checks targets and remembers each result as the target's last known state. */
export class TargetChecker {
  constructor(
    private readonly lastKnown: LastKnownResults,
    private readonly now: () => number,
  ) {}

  async check(target: Target, signal?: AbortSignal): Promise<CheckResult> {
    const result = await checkTarget(target.check, signal ? { now: this.now, signal } : { now: this.now });
    await this.lastKnown.record(result);
    return result;
  }

  /** Checks every target at once; results in the order given. */
  checkAll(targets: Target[], signal?: AbortSignal): Promise<CheckResult[]> {
    return Promise.all(targets.map((target) => this.check(target, signal)));
  }
}
