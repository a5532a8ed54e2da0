import { type Card, type CardAction, type CardField, type CardStatus, formatDuration } from '@chatops/core';
import type { CheckResult, Health } from './check/types.js';
import type { Target } from './target-catalog.js';

/** The word shown for each health verdict. */
export const HEALTH_LABELS: Record<Health, string> = {
  healthy: 'HEALTHY',
  degraded: 'DEGRADED',
  unhealthy: 'UNHEALTHY',
};

const HEALTH_STATUS: Record<Health, CardStatus> = { healthy: 'ok', degraded: 'warn', unhealthy: 'danger' };

/** The buttons offered for an unhealthy target: Restart (when declared) and Ping again. */
export function recoveryActions(target: Target): CardAction[] {
  const actions: CardAction[] = [];
  if (target.restart) {
    const how =
      target.restart.kind === 'command'
        ? `This runs \`${target.restart.command}\` as you.`
        : `This sends ${target.restart.method} ${target.restart.url.origin}${target.restart.url.pathname}.`;
    actions.push({
      label: `Restart ${target.name}`,
      action: 'ping.restart',
      args: { target: target.name },
      style: 'danger',
      confirm: { title: `Restart ${target.name}?`, text: how, ok: 'Restart' },
    });
  }
  actions.push({
    label: 'Ping again',
    action: 'ping.check',
    args: { target: target.name },
    style: 'primary',
  });
  return actions;
}

/** The answer to `ping <target>`: verdict (with the reason when not healthy), status code and latency. */
export function resultCard(target: Target, result: CheckResult, note?: string): Card {
  const label = HEALTH_LABELS[result.health];
  const fields: CardField[] = [{ label: 'Endpoint', value: result.endpoint }];
  if (result.statusCode !== undefined)
    fields.push({ label: 'Status', value: String(result.statusCode), short: true });
  fields.push({ label: 'Latency', value: formatDuration(result.latencyMs), short: true });
  const card: Card = {
    title: `${target.name}: ${label}`,
    status: HEALTH_STATUS[result.health],
    text: result.reason ? `${target.name} is ${label}: ${result.reason}` : `${target.name} is ${label}`,
    fields,
    footer: [note, `checked ${formatTime(result.checkedAt)}`].filter(Boolean).join(' · '),
  };
  if (result.health === 'unhealthy') card.actions = recoveryActions(target);
  return card;
}

/** The answer to `ping all`: one row per target, worst verdict first in the title. */
export function summaryCard(results: CheckResult[]): Card {
  const counts = (['unhealthy', 'degraded', 'healthy'] as const)
    .map((health) => [health, results.filter((result) => result.health === health).length] as const)
    .filter(([, count]) => count > 0);
  const worst = counts[0]?.[0] ?? 'healthy';
  const tally = counts.map(([health, count]) => `${count} ${health}`).join(', ');
  return {
    title: `Ping all: ${tally}`,
    status: HEALTH_STATUS[worst],
    text: `${results.length} targets: ${tally}`,
    table: {
      columns: ['Target', 'State', 'Status', 'Latency', 'Reason'],
      rows: results.map((result) => [
        result.target,
        HEALTH_LABELS[result.health],
        result.statusCode === undefined ? '-' : String(result.statusCode),
        formatDuration(result.latencyMs),
        result.reason ?? '',
      ]),
    },
  };
}

/** The answer to `ping` alone: the targets and their last known state. */
export function targetListCard(targets: Target[], last: Map<string, CheckResult>, now: number): Card {
  if (targets.length === 0) return { text: 'No ping targets are configured.', status: 'info' };
  return {
    title: 'Ping targets',
    status: 'info',
    text: `${targets.length} targets. \`ping <target>\` checks one, \`ping all\` checks every one.`,
    table: {
      columns: ['Target', 'Aliases', 'Last state', 'Checked', 'Reason'],
      rows: targets.map((target) => {
        const result = last.get(target.name);
        return [
          target.name,
          target.aliases.join(', '),
          result ? HEALTH_LABELS[result.health] : 'unknown',
          result ? describeAge(now - result.checkedAt) : 'never',
          result?.reason ?? '',
        ];
      }),
    },
  };
}

/** Says which targets exist when someone asks for one that does not. */
export function unknownTargetMessage(asked: string, targets: Target[]): string {
  const shown = asked.length > 40 ? `${asked.slice(0, 40)}…` : asked;
  if (targets.length === 0) return `Unknown target "${shown}": no ping targets are configured.`;
  const known = targets
    .map((target) => (target.aliases.length ? `${target.name} (${target.aliases.join(', ')})` : target.name))
    .join(', ');
  return `Unknown target "${shown}". Known targets: ${known}.`;
}

function describeAge(ageMs: number): string {
  return ageMs < 1000 ? 'just now' : `${formatDuration(ageMs)} ago`;
}

/** A time for people, in UTC: `2024-05-01 14:03 UTC`. */
export function formatTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
