import { access, mkdir, open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { processMetrics } from '../runtime/metrics.js';
import { AuditAnchoring } from './audit-anchoring.js';
import { hashLine } from './audit-chain.js';
import { rotatedPath } from './audit-files.js';
import { lockAuditLog } from './audit-lock.js';
import type { AuditLogOptions } from './audit-log-options.js';
import type { AuditEntry, AuditRecord } from './audit-record.js';
import { resumeChain } from './audit-resume.js';
import { checkAnchors, integrityEntry, keepPartialLine, partialPath } from './audit-startup.js';
import type { ShippedLine } from './audit-transport.js';
import { redactArgs, redactText } from './redact.js';

export type { AuditLogOptions } from './audit-log-options.js';

type FileHandle = Awaited<ReturnType<typeof open>>;

/** Counters, for metrics and tests. */
export interface AuditLogStats {
  lines: number;
  writes: number;
  fsyncs: number;
  rotations: number;
  sinkErrors: number;
}

interface Pending {
  record: Omit<AuditRecord, 'seq' | 'prev'>;
  /** The record without `seq` and `prev`, serialized at append time. */
  body: string;
  resolve: (record: AuditRecord) => void;
  reject: (error: unknown) => void;
}

const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

function composeLine(seq: number, prev: string, body: string): string {
  return `{"seq":${seq},${body.slice(1, -1)},"prev":"${prev}"}`;
}

/**
 * An append-only JSON Lines audit log whose lines are chained by SHA-256, so editing, deleting or
 * reordering a line is detected by {@link verifyAuditLog}. Appends are group-committed: lines that
 * arrive while a write is in flight share the next write and fsync. Rotated files are named
 * `audit.1.jsonl`, `audit.2.jsonl`, … (1 oldest) and the chain runs on across them. One process
 * writes a given file.
 */
export class AuditLog {
  private handle: FileHandle | undefined;
  /** Set after a failed write: the state on disk must be read again before the next one. */
  private stale = false;
  private size = 0;
  private seq: number;
  private prev: string;
  private nextIndex: number;
  private queue: Pending[] = [];
  private flushing: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  private readonly sinkWrites = new Set<Promise<void>>();
  private readonly counters: AuditLogStats = { lines: 0, writes: 0, fsyncs: 0, rotations: 0, sinkErrors: 0 };
  private anchoring: AuditAnchoring | undefined;

  private constructor(
    private readonly options: AuditLogOptions,
    state: { seq: number; prev: string; nextIndex: number },
    private readonly unlock: () => Promise<void>,
  ) {
    this.seq = state.seq;
    this.prev = state.prev;
    this.nextIndex = state.nextIndex;
  }

  /**
   * Opens (or creates) the log under its single-writer lock and continues the chain from its last
   * line. A cut-off last line is moved to `<path>.partial`; a chain that disagrees with its newest
   * anchored checkpoint is moved aside and a new chain started. Both are recorded as `integrity` lines.
   */
  static async open(options: AuditLogOptions): Promise<AuditLog> {
    await mkdir(dirname(options.path), { recursive: true, mode: DIR_MODE });
    const unlock = options.lock === false ? async () => undefined : await lockAuditLog(options.path);
    try {
      const findings: { target: string; reason: string; alert: boolean }[] = [];
      let state = await resumeChain(options.path, (bytes) => keepPartialLine(options.path, bytes));
      const tampered = await checkAnchors(options, state);
      if (state.truncatedBytes > 0) {
        findings.push({
          target: 'audit.partial-line',
          reason: `an interrupted last line (${state.truncatedBytes} bytes) was moved to ${partialPath(tampered?.aside ?? options.path)}`,
          alert: false,
        });
      }
      if (tampered) {
        state = await resumeChain(options.path);
        findings.push({ target: 'audit.chain-moved-aside', reason: tampered.reason, alert: true });
      }
      const log = new AuditLog(options, state, unlock);
      await log.openFile();
      if (options.anchoring) {
        log.anchoring = await AuditAnchoring.open(
          {
            ...options.anchoring,
            path: options.path,
            instance: options.instance ?? 'unknown',
            ...(options.onWarning ? { onWarning: options.onWarning } : {}),
          },
          { seq: state.seq, hash: state.prev },
        );
      }
      for (const finding of findings) {
        const message = `audit log ${options.path}: ${finding.reason}`;
        if (finding.alert) options.onAlert?.(message);
        log.warn(message);
        await log.append(integrityEntry(finding.target, finding.reason));
      }
      return log;
    } catch (error) {
      await unlock();
      throw error;
    }
  }

  /** The current file. */
  get path(): string {
    return this.options.path;
  }

  /** A copy of the counters. */
  stats(): AuditLogStats {
    return { ...this.counters };
  }

  /** Per transport: lines and checkpoints shipped, send errors, backlog. */
  shippingStats(): ReturnType<AuditAnchoring['stats']> {
    return this.anchoring?.stats() ?? {};
  }

  /** Writes a checkpoint now (when lines were added since the last one). */
  async checkpoint(): Promise<void> {
    await this.flushing;
    await this.anchoring?.checkpoint();
  }

  /** Resolves once every transport has acknowledged every line and checkpoint so far. */
  async shipped(): Promise<void> {
    await this.flushing;
    await this.anchoring?.drained();
  }

  /**
   * Appends one entry (args redacted again, `time`, `seq` and `prev` added). Resolves once the line
   * is written and, with `fsync`, on disk; rejects when it could not be written.
   */
  append(entry: AuditEntry): Promise<AuditRecord> {
    if (this.closing) return Promise.reject(new Error('audit log is closed'));
    let record: Pending['record'];
    let body: string;
    try {
      record = this.prepare(entry);
      body = JSON.stringify(record);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<AuditRecord>((resolve, reject) => {
      this.queue.push({ record, body, resolve, reject });
      this.flushing ??= this.drain();
    });
  }

  /** Writes what is queued, waits for the sinks, closes them and the file. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    await this.flushing;
    await Promise.all(this.sinkWrites);
    for (const sink of this.options.sinks ?? []) {
      await sink.close().catch((error: unknown) => this.sinkFailed(error));
    }
    await this.anchoring?.close();
    await this.handle?.close();
    this.handle = undefined;
    await this.unlock();
  }

  private prepare(entry: AuditEntry): Pending['record'] {
    const { time: _time, seq: _seq, prev: _prev, ...fields } = entry as AuditEntry & Partial<AuditRecord>;
    const now = this.options.now?.() ?? Date.now();
    const record: Pending['record'] = {
      time: new Date(now).toISOString(),
      ...(this.options.instance ? { instance: this.options.instance } : {}),
      ...fields,
      args: redactArgs(fields.args ?? {}, this.options.redactKeys),
    };
    if (record.reason !== undefined) record.reason = redactText(record.reason);
    if (record.error !== undefined) record.error = redactText(record.error);
    return record;
  }

  private async drain(): Promise<void> {
    // Let appends made in the same tick join the first batch.
    await Promise.resolve();
    for (;;) {
      const batch = this.queue;
      if (batch.length === 0) {
        this.flushing = undefined;
        return;
      }
      this.queue = [];
      await this.commit(batch);
    }
  }

  private async commit(batch: Pending[]): Promise<void> {
    let index = 0;
    try {
      if (this.stale) await this.recover();
      while (index < batch.length) {
        const written = await this.writeSegment(batch, index);
        if (written === 0) await this.rotate();
        index += written;
      }
    } catch (error) {
      this.stale = true;
      const failure = new Error(`audit log ${this.path}: write failed: ${(error as Error).message}`, {
        cause: error,
      });
      for (const pending of batch.slice(index)) pending.reject(failure);
    }
  }

  /** Writes as many lines from `from` as fit the size limit in one write; 0 when none fit. */
  private async writeSegment(batch: Pending[], from: number): Promise<number> {
    const handle = this.handle ?? (await this.openFile());
    const lines: string[] = [];
    const prevs: string[] = [];
    const limit = this.options.maxBytes ?? Number.POSITIVE_INFINITY;
    let seq = this.seq;
    let prev = this.prev;
    let bytes = 0;
    for (let i = from; i < batch.length; i++) {
      const line = composeLine(seq + 1, prev, batch[i]!.body);
      const lineBytes = Buffer.byteLength(line) + 1;
      if (this.size + bytes > 0 && this.size + bytes + lineBytes > limit) break;
      lines.push(line);
      prevs.push(prev);
      bytes += lineBytes;
      seq += 1;
      prev = hashLine(line);
    }
    if (lines.length === 0) return 0;
    await this.writeDurably(handle, Buffer.from(`${lines.join('\n')}\n`));
    const firstSeq = this.seq + 1;
    this.size += bytes;
    this.seq = seq;
    this.prev = prev;
    this.counters.lines += lines.length;
    processMetrics.auditLines.inc(lines.length);
    this.anchoring?.written(lines.map((line, offset): ShippedLine => ({ seq: firstSeq + offset, line })));
    lines.forEach((line, offset) => {
      const pending = batch[from + offset]!;
      const record: AuditRecord = {
        seq: firstSeq + offset,
        ...pending.record,
        prev: prevs[offset]!,
      };
      this.sendToSinks(record, line);
      pending.resolve(record);
    });
    return lines.length;
  }

  private async writeDurably(handle: FileHandle, buffer: Buffer): Promise<void> {
    try {
      let offset = 0;
      while (offset < buffer.length) {
        const { bytesWritten } = await handle.write(buffer, offset, buffer.length - offset);
        offset += bytesWritten;
      }
      this.counters.writes += 1;
      if (this.options.fsync ?? true) {
        const fsynced = processMetrics.auditFsync.startTimer();
        await handle.datasync();
        fsynced();
        this.counters.fsyncs += 1;
      }
    } catch (error) {
      // Best effort: drop a partial write so the file ends with the last acknowledged line.
      await handle.truncate(this.size).catch(() => undefined);
      throw error;
    }
  }

  private async rotate(): Promise<void> {
    let target = rotatedPath(this.path, this.nextIndex);
    while (await exists(target)) target = rotatedPath(this.path, ++this.nextIndex);
    await rename(this.path, target);
    this.nextIndex += 1;
    this.counters.rotations += 1;
    const old = this.handle;
    this.handle = undefined;
    this.size = 0;
    await old?.close();
    await this.openFile();
  }

  private async openFile(): Promise<FileHandle> {
    let created = true;
    let handle: FileHandle;
    try {
      handle = await open(this.path, 'ax', FILE_MODE);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      created = false;
      handle = await open(this.path, 'a', FILE_MODE);
    }
    this.handle = handle;
    this.size = (await handle.stat()).size;
    if (created) await syncDirectory(dirname(this.path));
    return handle;
  }

  /** After a failed write: read the chain state from disk again and reopen the file. */
  private async recover(): Promise<void> {
    await this.handle?.close().catch(() => undefined);
    this.handle = undefined;
    const state = await resumeChain(this.path);
    this.seq = state.seq;
    this.prev = state.prev;
    this.nextIndex = Math.max(this.nextIndex, state.nextIndex);
    await this.openFile();
    this.stale = false;
  }

  private sendToSinks(record: AuditRecord, line: string): void {
    for (const sink of this.options.sinks ?? []) {
      let written: Promise<void>;
      try {
        written = sink.write(record, line);
      } catch (error) {
        written = Promise.reject(error);
      }
      const tracked: Promise<void> = written
        .catch((error: unknown) => this.sinkFailed(error))
        .finally(() => this.sinkWrites.delete(tracked));
      this.sinkWrites.add(tracked);
    }
  }

  private sinkFailed(error: unknown): void {
    this.counters.sinkErrors += 1;
    this.warn('audit log: a sink failed; the line is safe in the file', error);
  }

  private warn(message: string, error?: unknown): void {
    this.options.onWarning?.(message, error);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Makes a new or renamed file's directory entry durable. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Some platforms and file systems cannot open or sync a directory; the file data itself is synced.
  } finally {
    await handle?.close();
  }
}
