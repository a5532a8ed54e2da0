import { listAuditFiles } from './audit-files.js';
import { readLines } from './line-reader.js';

/** One complete line of a chain, where it is and its `seq` (undefined when it has none). */
export interface ChainLine {
  file: string;
  /** 1-based line number within `file`. */
  line: number;
  seq: number | undefined;
  bytes: Buffer;
}

const SEQ_PREFIX = /^\{"seq":(\d+),/;

/** The `seq` of a line as the log writes it (first field), without parsing the whole line. */
export function seqOf(bytes: Buffer): number | undefined {
  const match = SEQ_PREFIX.exec(bytes.subarray(0, 32).toString('latin1'));
  return match ? Number(match[1]) : undefined;
}

/** The files of the chain at `path`, oldest first (rotated files, then the current one). */
export async function chainFiles(path: string): Promise<string[]> {
  const { rotated } = await listAuditFiles(path);
  return [...rotated.map((file) => file.path), path];
}

/** Every complete line of the chain at `path`, oldest first; skips lines with seq <= `afterSeq`. */
export async function* readChainLines(path: string, afterSeq = 0): AsyncGenerator<ChainLine> {
  for (const file of await chainFiles(path)) {
    let line = 0;
    for await (const { bytes, terminated } of readLines(file)) {
      line += 1;
      if (!terminated) break;
      const seq = seqOf(bytes);
      if (seq !== undefined && seq <= afterSeq) continue;
      yield { file, line, seq, bytes };
    }
  }
}
