import type { AuditAnchoringOptions } from './audit-anchoring.js';
import type { AuditSink } from './audit-sink.js';

/** Options of {@link AuditLog.open}. */
export interface AuditLogOptions {
  /** The current log file, e.g. `.chatops/audit.jsonl`; its directory is created. */
  path: string;
  /** Flush each batch to disk before `append` resolves. Default true. */
  fsync?: boolean;
  /** Rotate when the next line would grow the file past this many bytes. Default: never. */
  maxBytes?: number;
  /** Extra destinations for every line, written after the file. Closed by {@link AuditLog.close}. */
  sinks?: AuditSink[];
  /** Clock for `time`. */
  now?: () => Date | number;
  /** Keys whose values are always redacted, on top of the built-in list. */
  redactKeys?: string[];
  /** Told about problems that lose nothing: a failing sink, an interrupted last line kept aside. */
  onWarning?: (message: string, error?: unknown) => void;
  /** Told about what people must act on: a chain that disagreed with its anchors, a full sink. */
  onAlert?: (message: string) => void;
  /** Name of this replica, written into every line. */
  instance?: string;
  /** Take the single-writer lock (`<path>.lock`). Default true. */
  lock?: boolean;
  /** Ship lines and signed checkpoints off the host (see {@link AuditAnchoring}). */
  anchoring?: Omit<AuditAnchoringOptions, 'path' | 'instance' | 'onWarning'>;
}
