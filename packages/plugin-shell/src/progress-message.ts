import type { Card, Context, HandlerResult } from '@chatops/core';

/**
 * The one message a long run shows and updates in place. Updates are serialized and never throw (a
 * failed update must not fail the run); after `finish` no more updates go out.
 */
export class ProgressMessage {
  private posted = false;
  private finished = false;
  private busy = false;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly ctx: Context) {}

  /** True once the message exists. */
  get shown(): boolean {
    return this.posted;
  }

  /** Posts the card, or updates the message with it. Skipped while a previous update is in flight. */
  show(card: Card, force = false): Promise<void> {
    if (this.finished) return this.queue;
    if (this.busy && !force) return this.queue;
    this.busy = true;
    this.queue = this.queue
      .then(async () => {
        if (this.finished && !force) return;
        await this.ctx.progress(card);
        this.posted = true;
      })
      .catch((error: unknown) => this.ctx.log.warn({ err: error }, 'progress update failed'))
      .finally(() => {
        this.busy = false;
      });
    return this.queue;
  }

  /**
   * Ends it: the result replaces the progress message when there is one (and nothing is returned),
   * otherwise the result is returned for the robot to post as the reply.
   */
  async finish(card: Card): Promise<HandlerResult> {
    this.finished = true;
    await this.queue;
    if (!this.posted) return card;
    try {
      await this.ctx.progress(card);
      return undefined;
    } catch (error) {
      this.ctx.log.warn({ err: error }, 'could not replace the progress message; replying instead');
      return card;
    }
  }
}
