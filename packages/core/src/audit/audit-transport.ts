import type { AuditCheckpoint } from './checkpoint.js';

/** One audit line as shipped: its seq and exact bytes (no newline). */
export interface ShippedLine {
  seq: number;
  line: string;
}

/** What a transport ships for: the replica and its chain. */
export interface ShipmentScope {
  instance: string;
  chain: string;
}

/** How a batch is being sent. */
export interface SendOptions {
  /**
   * The same batch (same seqs, same bytes) was being sent when the process stopped, and may have
   * arrived: a transport that can tell (S3: the object exists) skips it.
   */
  resend?: boolean;
}

/** The key that names one batch of a chain, for receivers that drop repeated batches. */
export function batchKey(scope: ShipmentScope, lines: ShippedLine[]): string {
  return `${scope.instance}/${scope.chain}/${lines[0]!.seq}-${lines.at(-1)!.seq}`;
}

/**
 * A destination off the host for audit lines and checkpoints (S3, an HTTP collector, stdout). Sends
 * are retried by the caller until they succeed, so a send must be safe to repeat.
 */
export interface AuditTransport {
  /** Stable name, e.g. `s3:bucket/prefix`; names the cursor file and the metrics. */
  readonly name: string;
  sendLines(scope: ShipmentScope, lines: ShippedLine[], options?: SendOptions): Promise<void>;
  sendCheckpoint(checkpoint: AuditCheckpoint): Promise<void>;
  /** The newest anchored checkpoint of a chain, for transports that can read back (S3). */
  latestCheckpoint?(instance: string, chain: string): Promise<AuditCheckpoint | undefined>;
  close?(): Promise<void>;
}
