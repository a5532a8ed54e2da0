/**
 * Serializes posts per channel and spaces them at least `intervalMs` apart (Slack allows about one
 * message per second per channel). Nothing is dropped: posts wait their turn, in order.
 */
export class ChannelPacer {
  private readonly lanes = new Map<string, { tail: Promise<unknown>; lastStart: number }>();

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Runs `task` after the channel's earlier tasks, no sooner than `intervalMs` after the last one started. */
  run<T>(channel: string, task: () => Promise<T>): Promise<T> {
    const lane = this.lanes.get(channel) ?? { tail: Promise.resolve(), lastStart: Number.NEGATIVE_INFINITY };
    const result = lane.tail.then(async () => {
      const wait = lane.lastStart + this.intervalMs - this.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      lane.lastStart = this.now();
      return task();
    });
    const tail = result.catch(() => undefined);
    lane.tail = tail;
    this.lanes.set(channel, lane);
    void tail.then(() => {
      if (this.lanes.get(channel)?.tail === tail && this.now() - lane.lastStart >= this.intervalMs) {
        this.lanes.delete(channel);
      }
    });
    return result;
  }

  /** Resolves when every queued post has run. */
  async drain(): Promise<void> {
    await Promise.all([...this.lanes.values()].map((lane) => lane.tail));
  }
}
