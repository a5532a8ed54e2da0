import { open, stat } from 'node:fs/promises';
import { GENESIS_HASH, hashLine } from './audit-chain.js';
import { listAuditFiles } from './audit-files.js';
import { readLinesBackward } from './line-reader.js';

/** Where the chain stands on disk, so appending can continue it. */
export interface ChainState {
  /** `seq` of the last line written, 0 for a new log. */
  seq: number;
  /** Hash of the last line written, or the genesis hash. */
  prev: string;
  /** Number the next rotated file gets. */
  nextIndex: number;
  /** Bytes cut from the end of the current file: a line whose write was interrupted. */
  truncatedBytes: number;
}

/** The audit log on disk cannot be continued safely. */
export class AuditLogCorruptError extends Error {
  override name = 'AuditLogCorruptError';
}

function parseSeq(file: string, line: Buffer): number {
  let seq: unknown;
  try {
    seq = (JSON.parse(line.toString('utf8')) as { seq?: unknown }).seq;
  } catch {
    seq = undefined;
  }
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) {
    throw new AuditLogCorruptError(
      `${file}: the last line is not an audit record; run "chatops audit verify" and move the file aside to start a new log`,
    );
  }
  return seq;
}

async function truncateTo(path: string, size: number): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.truncate(size);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Finds the last complete line of the log (the current file, else the newest rotated one), reading
 * only the tail. A last line without newline in the current file is a write that was interrupted and
 * never acknowledged: it is handed to `keepAside` (to be kept in a `.partial` file), then cut off.
 */
export async function resumeChain(
  path: string,
  keepAside?: (bytes: Buffer) => Promise<void>,
): Promise<ChainState> {
  const { rotated } = await listAuditFiles(path);
  const nextIndex = (rotated.at(-1)?.index ?? 0) + 1;
  let truncatedBytes = 0;
  const candidates = [path, ...rotated.map((file) => file.path).reverse()];
  for (const file of candidates) {
    for await (const { bytes, terminated } of readLinesBackward(file)) {
      if (!terminated && file === path) {
        truncatedBytes = bytes.length;
        await keepAside?.(Buffer.from(bytes));
        await truncateTo(path, (await stat(path)).size - truncatedBytes);
        continue;
      }
      if (!terminated) throw new AuditLogCorruptError(`${file}: the last line is incomplete`);
      return { seq: parseSeq(file, bytes), prev: hashLine(bytes), nextIndex, truncatedBytes };
    }
  }
  return { seq: 0, prev: GENESIS_HASH, nextIndex, truncatedBytes };
}
