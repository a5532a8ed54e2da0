import type { AuditRecord } from './audit-record.js';

/**
 * Somewhere besides the audit file that receives every line (a log pipeline, a SIEM). Called in
 * order, after the line is safely in the file; a failing sink never loses the file line.
 */
export interface AuditSink {
  /** Receives the record and its exact JSON line (without newline). */
  write(record: AuditRecord, line: string): Promise<void>;
  close(): Promise<void>;
}

/** Keeps every record in memory; for tests and the testing kit. */
export class MemoryAuditSink implements AuditSink {
  /** Records in the order they were written. */
  readonly records: AuditRecord[] = [];
  /** The exact lines, in the same order. */
  readonly lines: string[] = [];
  closed = false;

  async write(record: AuditRecord, line: string): Promise<void> {
    this.records.push(record);
    this.lines.push(line);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
