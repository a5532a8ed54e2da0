/**
 * Work started and not settled yet, so that a stop can wait for it. A rejection of tracked work is
 * the caller's to handle; tracking it adds no unhandled rejection.
 *
 * @example
 * private readonly inFlight = new InFlight();
 * onEvent(event: Event): void {
 *   void this.inFlight.track(this.handle(event));
 * }
 * async stop(): Promise<void> {
 *   await withTimeout(this.inFlight.drain(), 10_000);
 * }
 */
export class InFlight {
  private readonly work = new Set<Promise<unknown>>();

  /** Counts `work` as in flight until it settles; returns it. */
  track<T>(work: Promise<T>): Promise<T> {
    this.work.add(work);
    const settled = () => {
      this.work.delete(work);
    };
    work.then(settled, settled);
    return work;
  }

  /** How much work is in flight. */
  get size(): number {
    return this.work.size;
  }

  /** Resolves when all work tracked so far has settled, including work tracked meanwhile. */
  async drain(): Promise<void> {
    while (this.work.size > 0) await Promise.allSettled([...this.work]);
  }
}
