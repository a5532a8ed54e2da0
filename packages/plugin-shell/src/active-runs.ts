import type { StopReason } from './stop-reason.js';

/** A run that is queued or going, so it can be cancelled or stopped at shutdown. */
export interface ActiveRun {
  id: string;
  script: string;
  /** Principal key of whoever started it. */
  requester: string;
  /** Stops it (queued or running) with a reason. */
  stop(reason: StopReason): void;
  /** Settles once the run is over and its result was reported. */
  readonly finished: Promise<void>;
}

/** The runs in progress, by id. */
export class ActiveRuns {
  private readonly runs = new Map<string, ActiveRun>();

  add(run: ActiveRun): void {
    this.runs.set(run.id, run);
    const forget = (): boolean => this.runs.delete(run.id);
    run.finished.then(forget, forget);
  }

  get(id: string): ActiveRun | undefined {
    return this.runs.get(id);
  }

  get size(): number {
    return this.runs.size;
  }

  /** Stops every run and waits until each has reported. */
  async stopAll(reason: StopReason): Promise<void> {
    const runs = [...this.runs.values()];
    for (const run of runs) run.stop(reason);
    await Promise.allSettled(runs.map((run) => run.finished));
  }
}
