import { type Card, formatDuration } from '@chatops/core';
import { formatTime, HEALTH_LABELS, recoveryActions, resultCard } from '../cards.js';
import type { CheckResult } from '../check/types.js';
import type { Target } from '../target-catalog.js';

/** Posted when a target has failed enough checks in a row. */
export function alertCard(target: Target, result: CheckResult, failures: number, since: number): Card {
  const card = resultCard(target, result);
  return {
    ...card,
    title: `ALERT: ${target.name} is UNHEALTHY`,
    text: `${target.name} is UNHEALTHY: ${result.reason ?? 'check failed'} (${failures} failed checks in a row since ${formatTime(since)})`,
    actions: recoveryActions(target),
  };
}

/** Posted every `remindEvery` while the target stays down. */
export function reminderCard(target: Target, result: CheckResult, downForMs: number): Card {
  const card = resultCard(target, result);
  return {
    ...card,
    title: `STILL DOWN: ${target.name} is UNHEALTHY for ${formatDuration(downForMs)}`,
    text: `${target.name} is still UNHEALTHY after ${formatDuration(downForMs)}: ${result.reason ?? 'check failed'}`,
    actions: recoveryActions(target),
  };
}

/** Posted when a target that was down passes again. */
export function recoveryCard(target: Target, result: CheckResult, downForMs: number): Card {
  const card = resultCard(target, result);
  const label = HEALTH_LABELS[result.health];
  return {
    ...card,
    title: `RECOVERED: ${target.name} is ${label} again`,
    text: `${target.name} is ${label} again after ${formatDuration(downForMs)} down.`,
    status: 'ok',
  };
}

/** Replaces an alert once the outage is over, so its buttons go away. */
export function resolvedAlertCard(target: Target, since: number, downForMs: number): Card {
  return {
    title: `RESOLVED: ${target.name} was UNHEALTHY for ${formatDuration(downForMs)}`,
    text: `${target.name} was down from ${formatTime(since)} for ${formatDuration(downForMs)}; it is back up.`,
    status: 'ok',
  };
}
