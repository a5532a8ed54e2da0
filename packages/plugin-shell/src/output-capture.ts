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

  /**
   * The last finished, non-empty line seen (from what is kept), redacted whole and only then cut to
   * `maxChars`. A line still being written is not shown (the rest of a secret may be in the next chunk),
   * nor is a line whose start was dropped.
   */
  lastLine(redact: (text: string) => string, maxChars = 200): string {
    const fromTail = this.tailBytes > 0;
    const text = Buffer.concat(fromTail ? this.tailChunks : this.headChunks).toString('utf8');
    const lines = text.slice(0, text.lastIndexOf('\n') + 1).split('\n');
    if (fromTail) lines.shift();
    const last = lines.filter((line) => line.trim() !== '').at(-1) ?? '';
    const shown = redact(last);
    return shown.length > maxChars ? `${shown.slice(0, maxChars)}…` : shown;
  }

  /**
   * The kept output. When bytes were dropped, the head is cut back to its last full line and the tail
   * starts at its first full line (without a line break: at a space), so no cut runs through a token;
   * a tail that starts inside a private key starts after it. The cut bytes count as dropped.
   */
  result(): CapturedOutput {
    let head = Buffer.concat(this.headChunks);
    let tail = Buffer.concat(this.tailChunks);
    let droppedBytes = this.droppedBytes;
    let droppedLines = this.droppedNewlines;
    if (droppedBytes > 0) {
      const headEnd = safeHeadEnd(head);
      droppedBytes += head.length - headEnd;
      head = head.subarray(0, headEnd);
      const tailStart = safeTailStart(tail);
      if (tailStart > 0) {
        droppedBytes += tailStart;
        droppedLines += countNewlines(tail.subarray(0, tailStart)) || 1;
        tail = tail.subarray(tailStart);
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

const SPACE = 0x20;
const TAB = 0x09;
const PEM_END = /-----END [A-Z0-9 ]*PRIVATE KEY-----[^\n]*\n?/;

/** Where a head cut off mid-stream may end: after its last line break, else after its last space. */
function safeHeadEnd(head: Buffer): number {
  if (head.length === 0 || head[head.length - 1] === NEWLINE) return head.length;
  const newline = head.lastIndexOf(NEWLINE);
  if (newline >= 0) return newline + 1;
  return Math.max(head.lastIndexOf(SPACE), head.lastIndexOf(TAB)) + 1;
}

/**
 * Where a tail that starts mid-stream may start: after its first line break, else after its first
 * space (else nothing of it is shown); past the end of a private key whose beginning was dropped.
 */
function safeTailStart(tail: Buffer): number {
  const newline = tail.indexOf(NEWLINE);
  let start = newline >= 0 ? newline + 1 : whitespaceEnd(tail);
  const text = tail.toString('latin1');
  const end = PEM_END.exec(text);
  if (end && !text.slice(0, end.index).includes('-----BEGIN '))
    start = Math.max(start, end.index + end[0].length);
  return start;
}

function whitespaceEnd(tail: Buffer): number {
  const positions = [tail.indexOf(SPACE), tail.indexOf(TAB)].filter((at) => at >= 0);
  return positions.length > 0 ? Math.min(...positions) + 1 : tail.length;
}
