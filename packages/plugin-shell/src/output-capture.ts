const NEWLINE = 0x0a;

/** What a capture kept of a stream: its head and tail, and how much of the middle was dropped. */
export interface CapturedOutput {
  head: string;
  tail: string;
  /** Bytes between head and tail that were not kept. */
  droppedBytes: number;
  /** Lines dropped with them (counted while streaming). */
  droppedLines: number;
  totalBytes: number;
  /** Lines seen, counting a last line without a newline. */
  lines: number;
}

/**
 * Keeps the first and last bytes of an unbounded stream within a fixed budget, counting what it drops,
 * so a script that prints a gigabyte costs the bot at most `maxBytes` (plus one chunk) of memory.
 */
export class OutputCapture {
  private readonly headLimit: number;
  private readonly tailLimit: number;
  private readonly headChunks: Buffer[] = [];
  private headBytes = 0;
  private tailChunks: Buffer[] = [];
  private tailBytes = 0;
  private newlines = 0;
  private total = 0;
  private endsWithNewline = true;
  private droppedBytes = 0;
  private droppedNewlines = 0;

  constructor(maxBytes: number) {
    this.headLimit = Math.floor(maxBytes / 2);
    this.tailLimit = maxBytes - this.headLimit;
  }

  /** Appends a chunk of output. */
  write(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.total += chunk.length;
    this.newlines += countNewlines(chunk);
    this.endsWithNewline = chunk[chunk.length - 1] === NEWLINE;
    let rest = chunk;
    if (this.headBytes < this.headLimit) {
      const take = Math.min(this.headLimit - this.headBytes, rest.length);
      // Copies, so the kept bytes do not pin the whole chunk in memory.
      this.headChunks.push(Buffer.from(rest.subarray(0, take)));
      this.headBytes += take;
      rest = rest.subarray(take);
    }
    if (rest.length > 0) this.appendTail(rest);
  }

  /** Bytes seen so far. */
  get bytes(): number {
    return this.total;
  }

  /** Lines seen so far. */
  get lines(): number {
    return this.newlines + (this.endsWithNewline ? 0 : 1);
  }

  /** Bytes held in memory right now. */
  get retainedBytes(): number {
    return this.headBytes + this.tailBytes;
  }

  /** The last non-empty line seen (from what is kept), at most `maxChars` long. */
  lastLine(maxChars = 200): string {
    const kept = this.tailBytes > 0 ? this.tailChunks : this.headChunks;
    const text = Buffer.concat(kept.slice(-4)).toString('utf8');
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    const last = lines[lines.length - 1] ?? '';
    return last.length > maxChars ? `${last.slice(0, maxChars)}…` : last;
  }

  /**
   * The kept output. When bytes were dropped, the head is cut back to its last full line and the tail
   * starts at its first full line, and those cut bytes count as dropped.
   */
  result(): CapturedOutput {
    let head = Buffer.concat(this.headChunks);
    let tail = Buffer.concat(this.tailChunks);
    let droppedBytes = this.droppedBytes;
    let droppedLines = this.droppedNewlines;
    if (droppedBytes > 0) {
      const headEnd = head.lastIndexOf(NEWLINE);
      if (headEnd >= 0 && headEnd < head.length - 1) {
        droppedBytes += head.length - headEnd - 1;
        head = head.subarray(0, headEnd + 1);
      }
      const tailStart = tail.indexOf(NEWLINE);
      if (tailStart >= 0 && tailStart < tail.length - 1) {
        droppedBytes += tailStart + 1;
        droppedLines += 1;
        tail = tail.subarray(tailStart + 1);
      }
    }
    return {
      head: head.toString('utf8'),
      tail: tail.toString('utf8'),
      droppedBytes,
      droppedLines,
      totalBytes: this.total,
      lines: this.lines,
    };
  }

  private appendTail(chunk: Buffer): void {
    this.tailChunks.push(chunk);
    this.tailBytes += chunk.length;
    while (this.tailBytes > this.tailLimit) {
      const first = this.tailChunks[0]!;
      const excess = this.tailBytes - this.tailLimit;
      const cut = first.length <= excess ? first : first.subarray(0, excess);
      this.droppedBytes += cut.length;
      this.droppedNewlines += countNewlines(cut);
      this.tailBytes -= cut.length;
      if (cut === first) this.tailChunks.shift();
      else this.tailChunks[0] = Buffer.from(first.subarray(excess));
    }
  }
}

function countNewlines(chunk: Buffer): number {
  let count = 0;
  let at = chunk.indexOf(NEWLINE);
  while (at !== -1) {
    count += 1;
    at = chunk.indexOf(NEWLINE, at + 1);
  }
  return count;
}
