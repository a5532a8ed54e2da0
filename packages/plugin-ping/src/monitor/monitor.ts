import type { Bot } from '@chatops/core';
import type { CheckResult } from '../check/types.js';
import type { Target } from '../target-catalog.js';
import type { TargetChecker } from '../target-checker.js';
import { alertCard, recoveryCard, reminderCard, resolvedAlertCard } from './monitor-cards.js';
import {
  type AlertPolicy,
  advanceOutage,
  NO_OUTAGE,
  type OutageEvent,
  type OutageState,
} from './outage-state.js';

const STATE_PREFIX = 'monitor:';

/** Where the monitor posts and how it decides. */
export interface MonitorSettings extends AlertPolicy {
  /** Notification route for alerts, reminders and recoveries. */
  route: string;
}

/**
 * One scheduled pass over the watched targets: checks them all at once, advances each target's
 * outage state in the store and announces alerts, reminders and recoveries.
 */
export class Monitor {
  constructor(
    private readonly bot: Bot,
    private readonly checker: TargetChecker,
    private readonly targets: Target[],
    private readonly settings: MonitorSettings,
  ) {}

  async run(signal?: AbortSignal): Promise<void> {
    await Promise.all(this.targets.map((target) => this.watch(target, signal)));
  }

  private async watch(target: Target, signal?: AbortSignal): Promise<void> {
    const result = await this.checker.check(target, signal);
    if (signal?.aborted) return;
    const key = STATE_PREFIX + target.name;
    const previous = (await this.bot.store.get<OutageState>(key)) ?? NO_OUTAGE;
    const { state, event } = advanceOutage(previous, result.health, this.bot.now(), this.settings);
    let next = state;
    if (event) {
      try {
        next = await this.announce(target, result, state, event);
      } catch (error) {
        // Keep the previous outage bookkeeping so the next pass announces again.
        this.bot.log.error(
          { err: error, target: target.name, event: event.kind },
          'ping monitor could not notify',
        );
        const { consecutiveFailures, failingSince } = state;
        next = { ...previous, consecutiveFailures, failingSince };
      }
    }
    await this.bot.store.set(key, next);
  }

  private async announce(
    target: Target,
    result: CheckResult,
    state: OutageState,
    event: OutageEvent,
  ): Promise<OutageState> {
    const { route } = this.settings;
    switch (event.kind) {
      case 'alert': {
        const since = state.outage?.since ?? result.checkedAt;
        const refs = await this.bot.notify(
          route,
          alertCard(target, result, state.consecutiveFailures, since),
        );
        return state.outage ? { ...state, outage: { ...state.outage, alerts: refs } } : state;
      }
      case 'remind':
        await this.bot.notify(route, reminderCard(target, result, event.downForMs));
        return state;
      case 'recover': {
        await this.bot.notify(route, recoveryCard(target, result, event.downForMs));
        const resolved = resolvedAlertCard(target, event.since, event.downForMs);
        await Promise.allSettled(event.alerts.map((ref) => this.bot.update(ref, resolved)));
        return state;
      }
    }
  }
}
