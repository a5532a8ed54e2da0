import { randomUUID } from 'node:crypto';
import {
  type Card,
  type Context,
  type HandlerResult,
  UsageError,
  UserFacingError,
  withSpan,
} from '@chatops/core';
import { type ActiveRun, ActiveRuns } from './active-runs.js';
import { cleanOutput } from './clean-output.js';
import { ConcurrencyLimiter, QueueFullError, type Release } from './concurrency-limiter.js';
import { buildEnvironment } from './environment.js';
import type { OutputCapture } from './output-capture.js';
import { outputText } from './output-text.js';
import { ArgumentError, validateArguments } from './parameters.js';
import { queuedCard, type RunState, runningCard } from './progress-card.js';
import { ProgressMessage } from './progress-message.js';
import { type Redactor, secretValuesOf } from './redactor.js';
import { resultCard } from './result-card.js';
import { runProcess } from './run-process.js';
import { type CardSearch, findScriptCard, type ScriptCard } from './script-card.js';
import { argumentVector, type Script } from './script-catalog.js';
import { spawnTurn } from './spawn-turns.js';
import { describeStop, type StopReason } from './stop-reason.js';
import { summarizeTermination } from './termination-summary.js';

/** Plugin-wide settings of the runner. */
export interface RunnerSettings {
  progressAfterMs: number;
  progressEveryMs: number;
  killGraceMs: number;
  inlineLimit: number;
}

/** Runs declared scripts for chat requests: checks, queueing, progress, result. */
export class ScriptRunner {
  /** Runs queued or going, for Cancel and shutdown. */
  readonly runs = new ActiveRuns();
  private readonly limiters = new Map<string, ConcurrencyLimiter>();
  private stopping = false;

  constructor(
    private readonly redactor: Redactor,
    private readonly settings: RunnerSettings,
  ) {}

  /** Runs `script` with the user's `values` for the request in `ctx`; returns the reply, if any. */
  async run(ctx: Context, script: Script, values: readonly string[]): Promise<HandlerResult> {
    if (this.stopping) throw new UserFacingError('The bot is shutting down; try again in a moment.');
    const userArguments = checkArguments(script, values);
    const state: RunState = {
      runId: randomUUID(),
      script: script.name,
      invocation: [script.name, ...userArguments.map(displayArgument)].join(' '),
      requester: ctx.user.name,
    };
    const controller = new AbortController();
    const onRequestAborted = (): void => {
      const why = ctx.signal.reason instanceof Error ? ctx.signal.reason.message : 'the request was aborted';
      controller.abort({ kind: 'interrupted', why } satisfies StopReason);
    };
    ctx.signal.addEventListener('abort', onRequestAborted, { once: true });
    let reported!: () => void;
    const run: ActiveRun = {
      id: state.runId,
      script: script.name,
      requester: ctx.user.key,
      stop: (reason) => controller.abort(reason),
      finished: new Promise<void>((resolve) => {
        reported = resolve;
      }),
    };
    this.runs.add(run);
    try {
      return await this.queueAndRun(ctx, script, userArguments, state, controller.signal);
    } finally {
      ctx.signal.removeEventListener('abort', onRequestAborted);
      reported();
    }
  }

  /** Stops every run (they report "terminated") and waits until each has reported. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    await this.runs.stopAll({ kind: 'shutdown' });
  }

  private limiterFor(script: Script): ConcurrencyLimiter {
    let limiter = this.limiters.get(script.name);
    if (!limiter) {
      limiter = new ConcurrencyLimiter(script.concurrency, script.maxQueue);
      this.limiters.set(script.name, limiter);
    }
    return limiter;
  }

  private async queueAndRun(
    ctx: Context,
    script: Script,
    userArguments: string[],
    state: RunState,
    signal: AbortSignal,
  ): Promise<HandlerResult> {
    const progress = new ProgressMessage(ctx);
    const limiter = this.limiterFor(script);
    let ticket: ReturnType<ConcurrencyLimiter['acquire']>;
    try {
      ticket = limiter.acquire(signal);
    } catch (error) {
      if (!(error instanceof QueueFullError)) throw error;
      throw new UserFacingError(
        `${script.name} is busy (${limiter.active} running, ${script.maxQueue} waiting); try again later.`,
      );
    }
    if (ticket.position > 0) await progress.show(queuedCard(state, ticket.position, script.concurrency));
    let release: Release;
    try {
      release = await ticket.granted;
    } catch (reason) {
      return progress.finish(this.stoppedWhileQueued(script, state, reason));
    }
    try {
      return await this.execute(ctx, script, userArguments, state, signal, progress);
    } finally {
      release();
    }
  }

  private async execute(
    ctx: Context,
    script: Script,
    userArguments: string[],
    state: RunState,
    signal: AbortSignal,
    progress: ProgressMessage,
  ): Promise<HandlerResult> {
    const env = buildEnvironment(script, {
      CHATOPS_USER: ctx.user.key,
      CHATOPS_REQUEST_ID: ctx.id,
      CHATOPS_SCRIPT: script.name,
    });
    const secrets = secretValuesOf(env);
    const redact = (text: string): string => this.redactor.redact(text, secrets);
    const started = performance.now();
    let capture: OutputCapture | undefined;
    const showProgress = (force = false): void => {
      const lastLine = capture ? capture.lastLine((line) => redact(cleanOutput(line))) : '';
      void progress.show(
        runningCard(state, performance.now() - started, capture?.lines ?? 0, lastLine),
        force,
      );
    };
    if (progress.shown) showProgress(true);
    let ticker: NodeJS.Timeout | undefined;
    const firstTick = setTimeout(() => {
      showProgress();
      ticker = setInterval(showProgress, this.settings.progressEveryMs);
    }, this.settings.progressAfterMs);
    ctx.log.info({ script: script.name, args: userArguments.length }, 'running script');
    await spawnTurn();
    // With tracing, the run is a span of the request (exit code and termination as attributes).
    const result = await withSpan(
      `script ${script.name}`,
      { 'chatops.script': script.name },
      async (span) => {
        const ran = await runProcess({
          command: script.command,
          args: argumentVector(script, userArguments),
          cwd: script.cwd,
          env,
          timeoutMs: script.timeoutMs,
          killGraceMs: this.settings.killGraceMs,
          maxOutputBytes: script.maxOutputBytes,
          signal,
          onOutput: (current) => {
            capture = current;
          },
        });
        span?.setAttributes({
          'chatops.script.termination': ran.termination.kind,
          ...(ran.exitCode === null ? {} : { 'process.exit.code': ran.exitCode }),
        });
        return ran;
      },
    );
    clearTimeout(firstTick);
    clearInterval(ticker);
    const summary = summarizeTermination(script.name, result.termination, script.timeoutMs);
    ctx.log.info(
      {
        script: script.name,
        termination: result.termination.kind,
        exit: summary.exit,
        ms: Math.round(result.durationMs),
      },
      'script finished',
    );
    const card = sanitizeCard(findScriptCard(result.stdoutTail, !result.stdoutTruncated), redact);
    const report = resultCard({
      script: script.name,
      invocation: state.invocation,
      requester: state.requester,
      summary,
      durationMs: result.durationMs,
      output: await outputText(result.output, redact, card.kind === 'none' ? undefined : card.source),
      lines: result.output.lines,
      totalBytes: result.output.totalBytes,
      droppedBytes: result.output.droppedBytes,
      card,
      inlineLimit: this.settings.inlineLimit,
    });
    return progress.finish(report);
  }

  private stoppedWhileQueued(script: Script, state: RunState, reason: unknown): Card {
    return {
      title: `${script.name} never started (${describeStop(reason)})`,
      status: 'warn',
      fields: [{ label: 'Command', value: state.invocation, short: true }],
      footer: `Requested by ${state.requester}`,
    };
  }
}

function checkArguments(script: Script, values: readonly string[]): string[] {
  try {
    return validateArguments(script.parameters, values);
  } catch (error) {
    if (error instanceof ArgumentError) {
      throw new UsageError(`${script.name}: ${error.message} (it takes: ${script.usage})`);
    }
    throw error;
  }
}

/** An argument as the user would type it, quoted when it has spaces or quotes. */
function displayArgument(value: string): string {
  return /[\s"']/.test(value) ? JSON.stringify(value) : value;
}

/** Cleans and redacts every string of a script card (JSON escapes can carry control characters). */
function sanitizeCard(search: CardSearch, redact: (text: string) => string): CardSearch {
  if (search.kind !== 'card') return search;
  const sanitize = (value: unknown): unknown => {
    if (typeof value === 'string') return redact(cleanOutput(value));
    if (Array.isArray(value)) return value.map(sanitize);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, sanitize(item)]));
    }
    return value;
  };
  return { ...search, card: sanitize(search.card) as ScriptCard };
}
