import { readFile, rename, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelay, sleepUnlessAborted } from '../shared/backoff.js';
import type { AuditTransport, ShipmentScope, ShippedLine } from './audit-transport.js';
import { readChainLines } from './chain-lines.js';
import { type AuditCheckpoint, checkpointHash } from './checkpoint.js';

/** Options of {@link SinkShipper}. */
export interface SinkShipperOptions {
  transport: AuditTransport;
  /** The audit log whose lines are shipped: it is the spool (lines are read back from it). */
  auditPath: string;
  scope: ShipmentScope;
  /** Lines per send. Default 500. */
  batchLines?: number;
  /** How long a partial batch waits for more lines. Default 1000 ms. */
  batchWaitMs?: number;
  /** Unshipped lines past which the sink counts as full and `onBacklogFull` is called. Default 100,000. */
  backlogLimit?: number;
  /** Retry delays: exponential from `minMs` up to `maxMs`, with jitter. Default 200 ms … 30 s. */
  retry?: { minMs?: number; maxMs?: number };
  /** Called once each time the backlog passes `backlogLimit` (and again after it drained). */
  onBacklogFull?: (transport: string, backlog: number) => void;
  /** A send failed (it is retried). */
  onSendError?: (transport: string, error: unknown) => void;
}

/** Counters of one shipper. */
export interface SinkShipperStats {
  shippedLines: number;
  shippedCheckpoints: number;
  sendErrors: number;
  backlog: number;
  backlogFull: boolean;
}

interface Cursor {
  chain: string;
  /** Last seq the transport acknowledged. */
  lines: number;
  /** `lastSeq` of the last checkpoint it acknowledged. */
  checkpoint: number;
  /** Hash of that checkpoint (a resume checkpoint repeats the `lastSeq` of the final one before it). */
  checkpointHash?: string;
  /** The batch being sent: after a crash it is sent again exactly, so its receiver can tell. */
  inflight?: { first: number; last: number };
}

/** Lines kept in memory for the next sends; beyond this they are read back from the audit file. */
const MAX_BUFFERED = 10_000;

/** Where a shipper keeps its cursor: next to the audit file, one per transport. */
export function cursorPath(auditPath: string, transportName: string): string {
  return `${auditPath}.sink-${transportName.replace(/[^\w.-]+/g, '_')}.json`;
}

/**
 * Ships the lines and checkpoints of one chain to one transport, in seq order: a cursor file records
 * the last seq the transport acknowledged, and what lies beyond it is read back from the audit file
 * after a restart or a long outage. The batch in flight is recorded first, so after a crash the very
 * same batch is sent again (and skipped by a transport that sees it arrived). Failed sends are
 * retried with backoff for as long as the robot runs; nothing is dropped.
 */
export class SinkShipper {
  private cursor: Cursor;
  private head: number;
  private buffer: ShippedLine[] = [];
  private readonly checkpoints: AuditCheckpoint[] = [];
  private wake: (() => void) | undefined;
  private closing = false;
  private readonly stop = new AbortController();
  private readonly loop: Promise<void>;
  private readonly counters = { shippedLines: 0, shippedCheckpoints: 0, sendErrors: 0 };
  private backlogFull = false;

  private constructor(
    private readonly options: SinkShipperOptions,
    cursor: Cursor,
    head: number,
    pending: AuditCheckpoint[],
  ) {
    this.cursor = cursor;
    this.head = head;
    const sent = pending.findIndex((checkpoint) => checkpointHash(checkpoint) === cursor.checkpointHash);
    this.checkpoints.push(
      ...(sent >= 0
        ? pending.slice(sent + 1)
        : pending.filter((checkpoint) => checkpoint.lastSeq > cursor.checkpoint)),
    );
    this.loop = this.run();
  }

  /**
   * Starts shipping from the stored cursor. `head` is the chain's last seq; `checkpoints` are the
   * chain's checkpoints so far (the unsent ones are sent again).
   */
  static async start(
    options: SinkShipperOptions,
    head: number,
    checkpoints: AuditCheckpoint[] = [],
  ): Promise<SinkShipper> {
    const cursor = await readCursor(
      cursorPath(options.auditPath, options.transport.name),
      options.scope.chain,
    );
    return new SinkShipper(options, cursor, head, checkpoints);
  }

  get name(): string {
    return this.options.transport.name;
  }

  stats(): SinkShipperStats {
    return { ...this.counters, backlog: this.head - this.cursor.lines, backlogFull: this.backlogFull };
  }

  /** New lines, just written to the audit file. */
  written(lines: ShippedLine[]): void {
    if (lines.length === 0) return;
    const last = this.buffer.at(-1)?.seq ?? this.cursor.lines;
    if (lines[0]!.seq === last + 1 && this.buffer.length + lines.length <= MAX_BUFFERED) {
      this.buffer.push(...lines);
    } else {
      this.buffer = [];
    }
    this.head = lines.at(-1)!.seq;
    this.checkBacklog();
    this.signal();
  }

  /** The chain reached `seq` (lines written before this shipper started): ship up to there. */
  catchUp(seq: number): void {
    if (seq <= this.head) return;
    this.head = seq;
    this.checkBacklog();
    this.signal();
  }

  /** A new checkpoint, sent once every line it covers has been sent. */
  checkpoint(checkpoint: AuditCheckpoint): void {
    this.checkpoints.push(checkpoint);
    this.signal();
  }

  /** Resolves once everything written so far has been acknowledged (or the shipper stopped). */
  async drained(): Promise<void> {
    while (!this.stop.signal.aborted && (this.cursor.lines < this.head || this.checkpoints.length > 0)) {
      await sleep(20);
    }
  }

  /** Ships what is left within `timeoutMs`, then stops; the rest goes after the next start. */
  async close(timeoutMs = 5000): Promise<void> {
    this.closing = true;
    this.signal();
    const timer = setTimeout(() => this.stop.abort(), timeoutMs);
    try {
      await this.drained();
    } finally {
      clearTimeout(timer);
      this.stop.abort();
      this.signal();
      await this.loop;
      await this.options.transport.close?.();
    }
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private waitForWork(ms?: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(resolve, ms);
      this.wake = () => {
        if (timer) clearTimeout(timer);
        resolve();
      };
    });
  }

  private async run(): Promise<void> {
    const batchLines = this.options.batchLines ?? 500;
    const batchWait = this.options.batchWaitMs ?? 1000;
    while (!this.stop.signal.aborted) {
      const checkpoint = this.checkpoints[0];
      if (checkpoint && checkpoint.lastSeq <= this.cursor.lines) {
        if (!(await this.send(() => this.options.transport.sendCheckpoint(checkpoint)))) break;
        this.checkpoints.shift();
        this.counters.shippedCheckpoints += 1;
        await this.saveCursor({
          ...this.cursor,
          checkpoint: checkpoint.lastSeq,
          checkpointHash: checkpointHash(checkpoint),
        });
        continue;
      }
      const backlog = this.head - this.cursor.lines;
      if (backlog <= 0) {
        await this.waitForWork();
        continue;
      }
      if (backlog < batchLines && !this.closing && !checkpoint) {
        const deadline = Date.now() + batchWait;
        while (
          this.head - this.cursor.lines < batchLines &&
          this.checkpoints.length === 0 &&
          !this.closing &&
          !this.stop.signal.aborted &&
          Date.now() < deadline
        ) {
          await this.waitForWork(deadline - Date.now());
        }
      }
      const inflight = this.cursor.inflight;
      const resend = inflight !== undefined && inflight.first === this.cursor.lines + 1;
      const batch = await this.nextBatch(resend ? inflight.last - inflight.first + 1 : batchLines);
      if (batch.length === 0) {
        // The file does not hold what the cursor expects (moved aside or cut): skip to what it has.
        this.options.onSendError?.(
          this.name,
          new Error(`seq ${this.cursor.lines + 1}-${this.head} are no longer in ${this.options.auditPath}`),
        );
        this.head = this.cursor.lines;
        continue;
      }
      const range = { first: batch[0]!.seq, last: batch.at(-1)!.seq };
      if (!resend) await this.saveCursor({ ...this.cursor, inflight: range });
      const sent = await this.send(() =>
        this.options.transport.sendLines(this.options.scope, batch, resend ? { resend } : {}),
      );
      if (!sent) break;
      this.buffer = this.buffer.filter((line) => line.seq > range.last);
      this.counters.shippedLines += batch.length;
      const { inflight: _done, ...rest } = this.cursor;
      await this.saveCursor({ ...rest, lines: range.last });
      this.checkBacklog();
    }
  }

  private async nextBatch(size: number): Promise<ShippedLine[]> {
    const from = this.cursor.lines + 1;
    if (this.buffer[0]?.seq !== from) this.buffer = await this.readBack(from);
    return this.buffer.slice(0, size);
  }

  private async readBack(from: number): Promise<ShippedLine[]> {
    const lines: ShippedLine[] = [];
    for await (const { seq, bytes } of readChainLines(this.options.auditPath, from - 1)) {
      if (seq === undefined || seq > this.head) break;
      if (seq !== from + lines.length) break;
      lines.push({ seq, line: bytes.toString('utf8') });
      if (lines.length >= MAX_BUFFERED) break;
    }
    return lines;
  }

  /** Retries `attempt` with backoff until it succeeds (true) or the shipper stops (false). */
  private async send(attempt: () => Promise<void>): Promise<boolean> {
    const min = this.options.retry?.minMs ?? 200;
    const max = this.options.retry?.maxMs ?? 30_000;
    for (let failures = 0; !this.stop.signal.aborted; failures++) {
      try {
        await attempt();
        return true;
      } catch (error) {
        this.counters.sendErrors += 1;
        this.options.onSendError?.(this.name, error);
        await sleepUnlessAborted(backoffDelay(failures, min, max), this.stop.signal);
      }
    }
    return false;
  }

  private checkBacklog(): void {
    const limit = this.options.backlogLimit ?? 100_000;
    const backlog = this.head - this.cursor.lines;
    if (!this.backlogFull && backlog > limit) {
      this.backlogFull = true;
      this.options.onBacklogFull?.(this.name, backlog);
    } else if (this.backlogFull && backlog <= limit / 2) {
      this.backlogFull = false;
    }
  }

  private async saveCursor(cursor: Cursor): Promise<void> {
    this.cursor = cursor;
    const path = cursorPath(this.options.auditPath, this.name);
    await writeFile(`${path}.tmp`, JSON.stringify(cursor), { mode: 0o600 });
    await rename(`${path}.tmp`, path);
  }
}

async function readCursor(path: string, chain: string): Promise<Cursor> {
  try {
    const value = JSON.parse(await readFile(path, 'utf8')) as Partial<Cursor>;
    if (
      value.chain === chain &&
      Number.isSafeInteger(value.lines) &&
      Number.isSafeInteger(value.checkpoint)
    ) {
      return {
        chain,
        lines: value.lines!,
        checkpoint: value.checkpoint!,
        ...(typeof value.checkpointHash === 'string' ? { checkpointHash: value.checkpointHash } : {}),
        ...(value.inflight &&
        Number.isSafeInteger(value.inflight.first) &&
        Number.isSafeInteger(value.inflight.last)
          ? { inflight: { first: value.inflight.first, last: value.inflight.last } }
          : {}),
      };
    }
  } catch {
    // No cursor yet: ship the chain from its start.
  }
  return { chain, lines: 0, checkpoint: 0 };
}
