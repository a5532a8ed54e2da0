import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type { Card, Context, DispatchResult } from '@chatops/core';
import { recoveryActions, resultCard } from './cards.js';
import { CheckFailure } from './check/check-failure.js';
import { httpExchange } from './check/http-exchange.js';
import type { CheckResult } from './check/types.js';
import type { ResolvedRestart, Target } from './target-catalog.js';
import type { TargetChecker } from './target-checker.js';

type RestartOutcome =
  | { kind: 'done' }
  | { kind: 'pending'; reason: string }
  | { kind: 'failed'; reason: string };

const RECHECK_INTERVAL_MS = 1000;

/**
 * Restarts a target for the person who clicked, then pings it again. A command restart goes through
 * the robot's router as that person (`ctx.execute`), so the command's own permission, approval and
 * audit rules apply on top of `ping.restart`.
 */
export class Restarter {
  constructor(private readonly checker: TargetChecker) {}

  async restart(ctx: Context, target: Target, restart: ResolvedRestart): Promise<Card> {
    const who = ctx.user.name;
    await showProgress(ctx, {
      title: `Restarting ${target.name}…`,
      status: 'info',
      text: `${who} is restarting ${target.name}.`,
    });
    const outcome =
      restart.kind === 'command' ? await runCommand(ctx, restart.command) : await callHttp(restart, ctx);
    if (outcome.kind === 'pending') {
      return {
        title: `${target.name}: restart awaits approval`,
        status: 'warn',
        text: `The restart of ${target.name} requested by ${who} waits for approval: ${outcome.reason}`,
        actions: recoveryActions(target).filter((action) => action.action === 'ping.check'),
      };
    }
    if (outcome.kind === 'failed') {
      return {
        title: `${target.name}: restart failed`,
        status: 'danger',
        text: `The restart of ${target.name} requested by ${who} failed: ${outcome.reason}`,
        actions: recoveryActions(target),
      };
    }
    const result = await this.waitUntilUp(ctx, target, restart.waitForMs);
    return resultCard(target, result, `restarted by ${who}`);
  }

  /** Pings once, then (within `waitForMs`) once a second until the target is up. */
  private async waitUntilUp(ctx: Context, target: Target, waitForMs: number): Promise<CheckResult> {
    const deadline = performance.now() + waitForMs;
    let result = await this.checker.check(target, ctx.signal);
    while (result.health === 'unhealthy' && performance.now() + RECHECK_INTERVAL_MS <= deadline) {
      await showProgress(ctx, {
        title: `${target.name}: restarted, waiting for it to come up…`,
        status: 'info',
        text: `Still UNHEALTHY: ${result.reason ?? 'check failed'}`,
      });
      try {
        await delay(RECHECK_INTERVAL_MS, undefined, { signal: ctx.signal });
      } catch {
        break;
      }
      result = await this.checker.check(target, ctx.signal);
    }
    return result;
  }
}

async function runCommand(ctx: Context, command: string): Promise<RestartOutcome> {
  const result = await ctx.execute(command);
  return describeDispatch(command, result);
}

function describeDispatch(command: string, result: DispatchResult): RestartOutcome {
  const detail = result.message ? `: ${result.message}` : '';
  switch (result.status) {
    case 'ok':
      return { kind: 'done' };
    case 'pending':
      return { kind: 'pending', reason: result.message ?? `\`${command}\` needs approval` };
    case 'denied':
      return { kind: 'failed', reason: `\`${command}\` was not allowed${detail}` };
    case 'usage':
    case 'unknown':
      return {
        kind: 'failed',
        reason: `\`${command}\` could not run${detail} (check the target's restart.command)`,
      };
    default:
      return {
        kind: 'failed',
        reason: `\`${command}\` failed${detail} (correlation id ${result.correlationId})`,
      };
  }
}

async function callHttp(
  restart: Extract<ResolvedRestart, { kind: 'http' }>,
  ctx: Context,
): Promise<RestartOutcome> {
  try {
    const response = await httpExchange({
      url: restart.url,
      method: restart.method,
      headers: restart.headers,
      body: restart.body,
      timeoutMs: restart.timeoutMs,
      tls: restart.tls,
      maxBodyBytes: 64 * 1024,
      signal: ctx.signal,
    });
    if (response.statusCode >= 200 && response.statusCode < 300) return { kind: 'done' };
    return { kind: 'failed', reason: `the restart endpoint answered ${response.statusCode}` };
  } catch (error) {
    const reason = error instanceof CheckFailure ? error.message : String(error);
    return { kind: 'failed', reason: `the restart endpoint failed: ${reason}` };
  }
}

/** Shows an intermediate state in the clicked message (or a progress message when there is none). */
async function showProgress(ctx: Context, card: Card): Promise<void> {
  try {
    if (ctx.message) await ctx.update(ctx.message, card);
    else await ctx.progress(card);
  } catch (error) {
    ctx.log.warn({ err: error }, 'ping: could not show restart progress');
  }
}
