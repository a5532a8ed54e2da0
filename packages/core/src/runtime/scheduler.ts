import { Cron } from 'croner';
import type { Logger } from 'pino';
import { parseDuration } from '../shared/duration.js';
import { withTimeout } from '../shared/with-timeout.js';

/** Which run of a job this is. */
export interface JobRun {
  /**
   * When the run was due (epoch ms): the tick's time, the same in every process sharing the job
   * (a multiple of the interval, or the cron time), or the time of the call for `runNow`.
   */
  scheduledAt: number;
}

/** A scheduled job's body; `signal` is aborted when the scheduler stops. */
export type JobFunction = (signal: AbortSignal, run: JobRun) => Promise<void> | void;

/** Options of {@link Scheduler.add}. */
export interface JobOptions {
  /** Run once as soon as the scheduler starts (or right away when it already runs). */
  immediate?: boolean;
}

/** Options of the {@link Scheduler} constructor. */
export interface SchedulerOptions {
  log: Logger;
  /** Clock used to measure run durations; tests may replace it. */
  now?: () => number;
  /** How long `stop()` waits for running jobs after aborting them; default 5 seconds. */
  stopTimeoutMs?: number;
}

/**
 * Decides which process runs a tick when several share the work (replicas on one store). `claim`
 * resolves true for exactly one of the processes asking about the same tick.
 */
export interface JobClaims {
  /**
   * Claims (or renews) an interval job for `ttlMs`: the holder keeps the job tick after tick, and
   * the others get it once the holder stops renewing.
   */
  claimInterval(job: string, ttlMs: number): Promise<boolean>;
  /** Claims the run of `job` due at `runAt` (epoch ms), a cron run or an interval tick, once for all. */
  claimRun(job: string, runAt: number): Promise<boolean>;
}

/** `setTimeout` cannot wait longer than this (about 24.8 days). */
const MAX_INTERVAL_MS = 2 ** 31 - 1;

interface Job {
  name: string;
  schedule: string;
  intervalMs?: number;
  fn: JobFunction;
  immediate: boolean;
  timer?: NodeJS.Timeout | undefined;
  cron?: Cron;
  running?: Promise<unknown>;
  controller?: AbortController;
}

/**
 * Runs named jobs on an interval (`30s`, `5m`) or a cron expression (`0 9 * * 1-5`).
 * A job never overlaps itself: a tick while it still runs is skipped. A job that throws is
 * logged and keeps its schedule. Timers never keep the process alive.
 */
export class Scheduler {
  private readonly jobs = new Map<string, Job>();
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly stopTimeoutMs: number;
  private started = false;
  private claims: JobClaims | undefined;

  constructor(options: SchedulerOptions) {
    this.log = options.log;
    this.now = options.now ?? Date.now;
    this.stopTimeoutMs = options.stopTimeoutMs ?? 5000;
  }

  /**
   * Adds a job. `schedule` is a duration (`30s`, `1m`, `2h`) or a cron expression.
   *
   * @throws Error naming the job when the name is taken or the schedule is invalid.
   */
  add(schedule: string, name: string, fn: JobFunction, options: JobOptions = {}): void {
    if (!name.trim()) throw new Error('scheduled job: the name must not be empty');
    if (this.jobs.has(name)) throw new Error(`scheduled job "${name}": a job with this name already exists`);
    const job: Job = { name, schedule, fn, immediate: options.immediate ?? false };
    const intervalMs = parseDuration(schedule);
    if (intervalMs !== undefined) {
      if (intervalMs <= 0 || intervalMs > MAX_INTERVAL_MS) {
        throw new Error(`scheduled job "${name}": interval "${schedule}" must be between 1ms and 24 days`);
      }
      job.intervalMs = intervalMs;
    } else {
      validateCron(schedule, name);
    }
    this.jobs.set(name, job);
    if (this.started) this.schedule(job);
  }

  /** Removes a job (e.g. of a plugin whose setup failed), stopping its timers. */
  remove(name: string): void {
    const job = this.jobs.get(name);
    if (!job) return;
    clearTimeout(job.timer);
    job.cron?.stop();
    job.controller?.abort(new Error('job removed'));
    this.jobs.delete(name);
  }

  /**
   * Shares the jobs with other processes: from now on each tick runs in the one process whose
   * `claims` win it. Interval jobs then tick on multiples of their interval (the same instants in
   * every process), and the holder of an interval job keeps it for 1.5 intervals per tick, so when
   * it dies another process takes over at the second tick after its last run. Each tick is also
   * claimed by its due time, so it runs once even when the lease changed hands meanwhile.
   */
  shareWith(claims: JobClaims): void {
    this.claims = claims;
  }

  /** Starts the timers of every job (and runs the `immediate` ones). */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const job of this.jobs.values()) this.schedule(job);
  }

  /** Stops the timers, aborts running jobs and waits for them (bounded by `stopTimeoutMs`). */
  async stop(): Promise<void> {
    this.started = false;
    const running: Promise<unknown>[] = [];
    for (const job of this.jobs.values()) {
      clearTimeout(job.timer);
      job.cron?.stop();
      job.timer = undefined;
      job.cron = undefined;
      job.controller?.abort(new Error('scheduler stopped'));
      if (job.running) running.push(job.running);
    }
    if (running.length === 0) return;
    const finished = await withTimeout(Promise.allSettled(running), this.stopTimeoutMs, { unref: true });
    if (!finished.done) {
      this.log.warn({ jobs: running.length }, 'scheduled jobs still running after stop timeout');
    }
  }

  /**
   * Runs a job now and waits for it; when it is already running, waits for that run instead.
   *
   * @throws Error for an unknown name, or the job's own error.
   */
  async runNow(name: string): Promise<void> {
    const job = this.jobs.get(name);
    if (!job) throw new Error(`no scheduled job named "${name}"`);
    if (job.running) {
      await job.running;
      return;
    }
    const error = await this.run(job, Date.now());
    if (error !== undefined) throw error;
  }

  /** Names of all jobs, in the order they were added. */
  names(): string[] {
    return [...this.jobs.keys()];
  }

  private schedule(job: Job): void {
    const tick = () => void this.tick(job, Date.now());
    if (job.intervalMs !== undefined && this.claims) {
      this.scheduleAligned(job, job.intervalMs);
    } else if (job.intervalMs !== undefined) {
      job.timer = setInterval(tick, job.intervalMs);
      job.timer.unref();
    } else {
      job.cron = new Cron(job.schedule, { unref: true }, (cron: Cron) =>
        this.tick(job, cron.currentRun()?.getTime() ?? Date.now()),
      );
    }
    if (job.immediate) tick();
  }

  /**
   * Ticks at the next multiple of the interval after `after`, then again at each following one. A
   * timer may fire a little before its time by the wall clock: counting from the tick it was for
   * never schedules that tick twice.
   */
  private scheduleAligned(job: Job, intervalMs: number, after = Date.now()): void {
    const now = Date.now();
    const next = Math.ceil((Math.max(now, after) + 1) / intervalMs) * intervalMs;
    job.timer = setTimeout(
      () => {
        if (!this.started) return;
        this.scheduleAligned(job, intervalMs, next);
        void this.tick(job, next);
      },
      Math.max(0, next - now),
    );
    job.timer.unref();
  }

  private async tick(job: Job, at: number): Promise<void> {
    if (!this.started) return;
    if (this.claims && !(await this.claim(job, at))) return;
    if (job.running) {
      this.log.debug({ job: job.name }, 'scheduled job skipped: previous run still running');
      return;
    }
    void this.run(job, at);
  }

  /**
   * Whether this process runs this tick; a failing claim (store unreachable) skips it. The holder of
   * an interval job claims each tick too: a process whose claim reached the store late (it was
   * stalled past the lease of the holder that ran the tick) then cannot run that tick again.
   */
  private async claim(job: Job, at: number): Promise<boolean> {
    try {
      const claims = this.claims!;
      return job.intervalMs !== undefined
        ? (await claims.claimInterval(job.name, Math.ceil(job.intervalMs * 1.5))) &&
            (await claims.claimRun(job.name, at))
        : await claims.claimRun(job.name, Math.round(at / 1000) * 1000);
    } catch (error) {
      this.log.warn({ err: error, job: job.name }, 'scheduled job skipped: could not claim its tick');
      return false;
    }
  }

  /** Runs the job once; resolves with its error (already logged) or undefined. */
  private run(job: Job, scheduledAt: number): Promise<unknown> {
    const controller = new AbortController();
    const started = this.now();
    // Started in a microtask, so `job.running` is set before the job can finish.
    const run = Promise.resolve()
      .then(() => job.fn(controller.signal, { scheduledAt }))
      .then(
        () => {
          this.log.debug({ job: job.name, ms: this.now() - started }, 'scheduled job finished');
          return undefined;
        },
        (error: unknown) => {
          this.log.error({ err: error, job: job.name, ms: this.now() - started }, 'scheduled job failed');
          return error ?? new Error(`scheduled job "${job.name}" failed`);
        },
      )
      .finally(() => {
        job.running = undefined;
        job.controller = undefined;
      });
    job.controller = controller;
    job.running = run;
    return run;
  }
}

function validateCron(schedule: string, name: string): void {
  let next: Date | null;
  try {
    next = new Cron(schedule).nextRun();
  } catch {
    throw new Error(
      `scheduled job "${name}": "${schedule}" is neither a duration (30s, 5m, 1h) nor a cron expression (*/5 * * * *)`,
    );
  }
  if (next === null) throw new Error(`scheduled job "${name}": cron expression "${schedule}" never runs`);
}
