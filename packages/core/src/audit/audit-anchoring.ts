import { hashLine } from './audit-chain.js';
import type { AuditTransport, ShippedLine } from './audit-transport.js';
import { readChainLines } from './chain-lines.js';
import { type AuditCheckpoint, type CheckpointSigner, checkpointHash, signCheckpoint } from './checkpoint.js';
import { appendCheckpoint, checkpointsPath, readCheckpointFile } from './checkpoint-file.js';
import { SinkShipper, type SinkShipperOptions, type SinkShipperStats } from './sink-shipper.js';

/** Shipping settings shared by every transport of a log. */
export type ShippingOptions = Pick<
  SinkShipperOptions,
  'batchLines' | 'batchWaitMs' | 'backlogLimit' | 'retry' | 'onBacklogFull' | 'onSendError'
>;

/** Options of {@link AuditAnchoring.open}. */
export interface AuditAnchoringOptions {
  path: string;
  instance: string;
  transports: AuditTransport[];
  shipping?: ShippingOptions;
  /** Signs checkpoints; without it no checkpoints are written. */
  signer?: CheckpointSigner;
  /** Checkpoint interval. Default 60,000 ms. */
  intervalMs?: number;
  /** How long close waits for the transports to take what is left. Default 5000 ms. */
  closeTimeoutMs?: number;
  onWarning?: (message: string, error?: unknown) => void;
}

/** The id of a chain: the SHA-256 of its first line, when the log still holds it. */
export async function chainIdOf(path: string): Promise<string | undefined> {
  for await (const { seq, bytes } of readChainLines(path)) return seq === 1 ? hashLine(bytes) : undefined;
  return undefined;
}

/** The id of the chain at `path` with `seq` lines: from its first line, else its local checkpoints. */
export async function resolveChainId(path: string, seq: number): Promise<string | undefined> {
  if (seq === 0) return undefined;
  return (await chainIdOf(path)) ?? (await readCheckpointFile(checkpointsPath(path))).at(-1)?.chain;
}

/**
 * Anchors one chain off the host: ships its lines to every transport and writes signed
 * checkpoints (at an interval and at close) to a local file and to the transports.
 */
export class AuditAnchoring {
  private chain: string | undefined;
  private head: { seq: number; hash: string };
  private last: AuditCheckpoint | undefined;
  private shippers: SinkShipper[] = [];
  private starting: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private checkpointing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly options: AuditAnchoringOptions,
    head: { seq: number; hash: string },
    private readonly history: AuditCheckpoint[],
  ) {
    this.head = head;
    this.last = history.at(-1);
  }

  /** Starts anchoring the chain at `path` whose last line is `head`. */
  static async open(
    options: AuditAnchoringOptions,
    head: { seq: number; hash: string },
  ): Promise<AuditAnchoring> {
    const local = await readCheckpointFile(checkpointsPath(options.path));
    const chainId = await resolveChainId(options.path, head.seq);
    const history = local.filter(
      (checkpoint) => checkpoint.chain === chainId && checkpoint.lastSeq <= head.seq,
    );
    const anchoring = new AuditAnchoring(options, head, history);
    if (chainId) await anchoring.startShippers(chainId);
    // Lines after a final checkpoint are forged unless a checkpoint first says the robot resumed.
    if (anchoring.last?.final) await anchoring.checkpoint({ resume: true });
    if (options.signer) {
      anchoring.timer = setInterval(() => void anchoring.checkpoint(), options.intervalMs ?? 60_000);
      anchoring.timer.unref();
    }
    return anchoring;
  }

  /** The chain id, once the chain has a first line. */
  get chainId(): string | undefined {
    return this.chain;
  }

  stats(): Record<string, SinkShipperStats> {
    return Object.fromEntries(this.shippers.map((shipper) => [shipper.name, shipper.stats()]));
  }

  /** Lines just written to the file (in order). */
  written(lines: ShippedLine[]): void {
    if (lines.length === 0) return;
    const last = lines.at(-1)!;
    this.head = { seq: last.seq, hash: hashLine(last.line) };
    if (!this.chain && !this.starting && lines[0]!.seq === 1) {
      this.starting = this.startShippers(hashLine(lines[0]!.line));
      return;
    }
    for (const shipper of this.shippers) shipper.written(lines);
  }

  /**
   * Writes a checkpoint now if lines were added since the last one (`final` at shutdown; `resume`
   * after a final one, even without new lines).
   */
  checkpoint(kind: { final?: boolean; resume?: boolean } = {}): Promise<void> {
    this.checkpointing = this.checkpointing
      .then(() => this.writeCheckpoint(kind))
      .catch((error: unknown) => {
        this.options.onWarning?.('audit log: could not write a checkpoint', error);
      });
    return this.checkpointing;
  }

  /** Resolves once every transport has acknowledged everything so far. */
  async drained(): Promise<void> {
    await this.starting;
    await this.checkpointing;
    await Promise.all(this.shippers.map((shipper) => shipper.drained()));
  }

  /** Final checkpoint, then ships what is left (bounded) and closes the transports. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.starting;
    await this.checkpoint({ final: true });
    await Promise.all(this.shippers.map((shipper) => shipper.close(this.options.closeTimeoutMs)));
    if (this.shippers.length === 0) await Promise.all(this.options.transports.map((t) => t.close?.()));
  }

  private async startShippers(chain: string): Promise<void> {
    this.chain = chain;
    this.shippers = await Promise.all(
      this.options.transports.map((transport) =>
        SinkShipper.start(
          {
            ...this.options.shipping,
            transport,
            auditPath: this.options.path,
            scope: { instance: this.options.instance, chain },
          },
          this.head.seq,
          this.history,
        ),
      ),
    );
    for (const shipper of this.shippers) shipper.catchUp(this.head.seq);
  }

  private async writeCheckpoint(kind: { final?: boolean; resume?: boolean }): Promise<void> {
    const { signer } = this.options;
    const head = this.head;
    if (!signer || !this.chain || head.seq === 0) return;
    const fresh = head.seq > (this.last?.lastSeq ?? 0);
    const resume = kind.resume === true && this.last?.final === true;
    if (!fresh && !resume && !(kind.final && this.last && !this.last.final)) return;
    const checkpoint = signCheckpoint(
      {
        instance: this.options.instance,
        chain: this.chain,
        firstSeq: (this.last?.lastSeq ?? 0) + 1,
        lastSeq: head.seq,
        head: head.hash,
        time: new Date().toISOString(),
        final: kind.final === true,
        ...(this.last ? { previous: checkpointHash(this.last) } : {}),
      },
      signer,
    );
    await appendCheckpoint(checkpointsPath(this.options.path), checkpoint);
    this.last = checkpoint;
    for (const shipper of this.shippers) shipper.checkpoint(checkpoint);
  }
}
