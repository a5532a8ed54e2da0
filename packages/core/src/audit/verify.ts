import { access } from 'node:fs/promises';
import { GENESIS_HASH, hashLine } from './audit-chain.js';
import { listAuditFiles } from './audit-files.js';
import { readLines } from './line-reader.js';

/** Where and why verification stopped. */
export interface AuditVerifyError {
  file: string;
  /** 1-based line number within `file` (0 when the log is missing). */
  line: number;
  /** What is wrong, in words. */
  reason: string;
}

/** Result of {@link verifyAuditLog}. */
export interface AuditVerifyResult {
  ok: boolean;
  /** Files checked, oldest first. */
  files: string[];
  /** Lines that passed. */
  lines: number;
  /** The first broken line. */
  error?: AuditVerifyError;
}

/** Options of {@link verifyAuditLog}. */
export interface AuditVerifyOptions {
  /**
   * Accept a log whose oldest remaining file does not start the chain (old rotated files were
   * deleted on purpose); the chain is checked from there on.
   */
  allowMissingStart?: boolean;
}

const EDITED =
  'hash chain broken (line edited, deleted or reordered): its SHA-256 does not match "prev" of the next line';

type ParsedLine = { seq: number; prev: string } | { problem: string };

function parseLine(bytes: Buffer): ParsedLine {
  if (bytes.length === 0) return { problem: 'empty line' };
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { problem: 'not valid JSON (line edited or cut)' };
  }
  const { seq, prev } = (value ?? {}) as { seq?: unknown; prev?: unknown };
  if (
    typeof seq !== 'number' ||
    !Number.isSafeInteger(seq) ||
    typeof prev !== 'string' ||
    !/^[0-9a-f]{64}$/.test(prev)
  ) {
    return { problem: 'not an audit record (no valid "seq" and "prev")' };
  }
  return { seq, prev };
}

function seqProblem(last: number, seq: number): string {
  if (last === 0) return `the log starts at seq ${seq}, not 1 (earlier lines or files are missing)`;
  if (seq > last) return `seq jumps from ${last} to ${seq} (line deleted or reordered)`;
  return `seq goes back from ${last} to ${seq} (line inserted, duplicated or reordered)`;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * Checks the hash chain of the log at `path` and its rotated files, oldest first: every line parses,
 * its `prev` is the SHA-256 of the line before and its `seq` is one more. Reports the first broken
 * line. An edited line is named itself (the next line's `prev` no longer matches it); a deleted or
 * moved line shows as a `seq` jump where it was. A chain alone cannot show that lines were cut
 * from the very end; ship lines to a sink elsewhere for that.
 */
export async function verifyAuditLog(
  path: string,
  options: AuditVerifyOptions = {},
): Promise<AuditVerifyResult> {
  const files = (await listAuditFiles(path)).rotated.map((file) => file.path);
  if (await exists(path)) files.push(path);
  if (files.length === 0) {
    return { ok: false, files, lines: 0, error: { file: path, line: 0, reason: 'no audit log found' } };
  }
  let expectedPrev: string | undefined = options.allowMissingStart ? undefined : GENESIS_HASH;
  let lastSeq: number | undefined = options.allowMissingStart ? undefined : 0;
  let previous: { file: string; line: number } | undefined;
  let lines = 0;
  const fail = (at: { file: string; line: number }, reason: string): AuditVerifyResult => ({
    ok: false,
    files,
    lines,
    error: { ...at, reason },
  });
  for (const file of files) {
    let line = 0;
    for await (const { bytes, terminated } of readLines(file)) {
      line += 1;
      const here = { file, line };
      if (!terminated)
        return fail(here, 'incomplete last line (a write was interrupted or the file was cut)');
      const parsed = parseLine(bytes);
      if ('problem' in parsed) return fail(here, parsed.problem);
      if (lastSeq !== undefined && parsed.seq !== lastSeq + 1)
        return fail(here, seqProblem(lastSeq, parsed.seq));
      if (expectedPrev !== undefined && parsed.prev !== expectedPrev) {
        return previous
          ? fail(previous, EDITED)
          : fail(
              here,
              'hash chain broken: the first line does not start the chain (earlier lines are missing)',
            );
      }
      expectedPrev = hashLine(bytes);
      lastSeq = parsed.seq;
      previous = here;
      lines += 1;
    }
  }
  return { ok: true, files, lines };
}

/** One line for people: `audit.jsonl line 7: hash chain broken (…)`. */
export function formatVerifyError(error: AuditVerifyError): string {
  return error.line > 0
    ? `${error.file} line ${error.line}: ${error.reason}`
    : `${error.file}: ${error.reason}`;
}
