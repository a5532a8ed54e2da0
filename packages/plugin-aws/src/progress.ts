import type { Card, Context, MessageRef } from '@chatops/core';
import { count } from './format.js';

export interface ProgressOptions {
  /** Only show progress for at least this many items. */
  after: number;
  /** Minimum milliseconds between updates (chat platforms rate-limit edits). */
  intervalMs: number;
  now(): number;
  /** `Checking 1,200 buckets in prod…` */
  started(total: number): string;
  /** `checked 400 / 1,200 buckets` */
  update(done: number, total: number): string;
}

/** One progress message, updated in place at most every `intervalMs`, finally replaced by the result. */
export class ProgressMessage {
  private ref?: MessageRef;
  private active = false;
  private last = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: Context,
    private readonly options: ProgressOptions,
  ) {}

  /** Call once the total is known. */
  async start(total: number): Promise<void> {
    if (total === 0 || total < this.options.after) return;
    this.active = true;
    this.last = this.options.now();
    this.ref = (await this.ctx.progress(this.options.started(total))) ?? this.ref;
  }

  /** Call after each item; updates are throttled and never overlap. */
  tick(done: number, total: number): void {
    if (!this.active || done >= total) return;
    const now = this.options.now();
    if (now - this.last < this.options.intervalMs) return;
    this.last = now;
    const text = this.options.update(done, total);
    this.chain = this.chain
      .then(async () => {
        this.ref = (await this.ctx.progress(text)) ?? this.ref;
      })
      .catch(() => undefined);
  }

  /** Replaces the progress message with the result, or returns the result to post when there was none. */
  async finish(card: Card): Promise<Card | undefined> {
    await this.chain;
    if (!this.ref) return card;
    await this.ctx.update(this.ref, card);
    return undefined;
  }
}

/** `checked 400 / 1,200 buckets`. */
export function checkedText(noun: string): (done: number, total: number) => string {
  return (done, total) => `checked ${count(done)} / ${count(total)} ${noun}`;
}
