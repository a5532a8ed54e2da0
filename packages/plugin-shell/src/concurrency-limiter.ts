/** Gives a run slot back. Calling it more than once has no effect. */
export type Release = () => void;

/** A place in line: `position` 0 means it may run now. */
export interface Ticket {
  /** How many runs are ahead of this one in the queue (0 when granted at once). */
  position: number;
  /** Resolves when it may run; rejects with the signal's reason when aborted while waiting. */
  granted: Promise<Release>;
}

/** The queue is full; the run is refused instead of queued. */
export class QueueFullError extends Error {
  override name = 'QueueFullError';
}

interface Waiter {
  grant: (release: Release) => void;
}

/** Lets at most `limit` runs go at once; up to `maxQueue` more wait in order. */
export class ConcurrencyLimiter {
  private running = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    readonly limit: number,
    readonly maxQueue: number,
  ) {}

  /** Runs going now. */
  get active(): number {
    return this.running;
  }

  /** Takes a slot, or a place in the queue. Throws QueueFullError when the queue is full. */
  acquire(signal?: AbortSignal): Ticket {
    if (signal?.aborted) return { position: 0, granted: Promise.reject(signal.reason) };
    if (this.running < this.limit) {
      this.running += 1;
      return { position: 0, granted: Promise.resolve(this.releaser()) };
    }
    if (this.waiting.length >= this.maxQueue) {
      throw new QueueFullError(`${this.running} running and ${this.waiting.length} queued`);
    }
    let waiter!: Waiter;
    const granted = new Promise<Release>((resolve, reject) => {
      const onAbort = (): void => {
        const index = this.waiting.indexOf(waiter);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(signal?.reason);
      };
      waiter = {
        grant: (release) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    this.waiting.push(waiter);
    return { position: this.waiting.length, granted };
  }

  private releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next.grant(this.releaser());
      else this.running -= 1;
    };
  }
}
