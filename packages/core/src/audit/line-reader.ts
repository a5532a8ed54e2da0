import { open } from 'node:fs/promises';

/** One line of a file, without its newline. `terminated` is false for a last line lacking `\n`. */
export interface FileLine {
  bytes: Buffer;
  terminated: boolean;
}

const NEWLINE = 0x0a;
const DEFAULT_CHUNK = 64 * 1024;

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/** Reads a file's lines first to last, in chunks; yields nothing for a missing file. */
export async function* readLines(path: string, chunkSize = DEFAULT_CHUNK): AsyncGenerator<FileLine> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if (isMissing(error)) return;
    throw error;
  }
  try {
    const chunk = Buffer.alloc(chunkSize);
    let carry = Buffer.alloc(0);
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunkSize, null);
      if (bytesRead === 0) break;
      const data = Buffer.concat([carry, chunk.subarray(0, bytesRead)]);
      let start = 0;
      for (let nl = data.indexOf(NEWLINE, start); nl !== -1; nl = data.indexOf(NEWLINE, start)) {
        yield { bytes: data.subarray(start, nl), terminated: true };
        start = nl + 1;
      }
      carry = data.subarray(start);
    }
    if (carry.length > 0) yield { bytes: carry, terminated: false };
  } finally {
    await handle.close();
  }
}

/**
 * Reads a file's lines last to first, reading backwards in chunks so the tail of a large file is
 * found without loading it; yields nothing for a missing file.
 */
export async function* readLinesBackward(path: string, chunkSize = DEFAULT_CHUNK): AsyncGenerator<FileLine> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if (isMissing(error)) return;
    throw error;
  }
  try {
    let position = (await handle.stat()).size;
    let carry = Buffer.alloc(0);
    // The segment after the file's last newline: empty when the file ends with one.
    let atFileEnd = true;
    while (position > 0) {
      const start = Math.max(0, position - chunkSize);
      const chunk = Buffer.alloc(position - start);
      await handle.read(chunk, 0, chunk.length, start);
      position = start;
      const data = carry.length > 0 ? Buffer.concat([chunk, carry]) : chunk;
      let end = data.length;
      while (end > 0) {
        const nl = data.lastIndexOf(NEWLINE, end - 1);
        if (nl === -1) break;
        const bytes = data.subarray(nl + 1, end);
        if (!atFileEnd) yield { bytes, terminated: true };
        else if (bytes.length > 0) yield { bytes, terminated: false };
        atFileEnd = false;
        end = nl;
      }
      carry = data.subarray(0, end);
    }
    if (!atFileEnd) yield { bytes: carry, terminated: true };
    else if (carry.length > 0) yield { bytes: carry, terminated: false };
  } finally {
    await handle.close();
  }
}
