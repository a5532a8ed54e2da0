/** Length in runes (code points), as the server counts. */
export function runeLength(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/** Room kept at the end of a part for a closing fence. */
const RESERVE = 16;

/** The fence still open after `line`, given the one open before it. */
function fenceAfter(open: string | undefined, line: string): string | undefined {
  const fence = /^(`{3,}|~{3,})/.exec(line.trim())?.[1];
  if (!fence) return open;
  if (open === undefined) return fence;
  return fence.startsWith(open) && line.trim() === fence ? undefined : open;
}

/** A line cut into pieces of at most `size` runes. */
function chunkRunes(line: string, size: number): string[] {
  const runes = [...line];
  if (runes.length <= size) return [line];
  const pieces: string[] = [];
  for (let start = 0; start < runes.length; start += size)
    pieces.push(runes.slice(start, start + size).join(''));
  return pieces;
}

/**
 * Splits Markdown into parts of at most `limit` runes at line boundaries. A code block cut in two is
 * closed at the end of one part and reopened at the start of the next, so both still render as code.
 */
export function splitMessage(text: string, limit: number): string[] {
  if (runeLength(text) <= limit) return [text];
  const budget = limit - RESERVE;
  const parts: string[] = [];
  let lines: string[] = [];
  let length = 0;
  let fence: string | undefined;
  const push = (line: string) => {
    lines.push(line);
    length += runeLength(line) + 1;
  };
  const flush = () => {
    parts.push((fence ? [...lines, fence] : lines).join('\n'));
    lines = [];
    length = 0;
    if (fence) push(fence);
  };
  for (const line of text.split('\n')) {
    for (const piece of chunkRunes(line, budget - RESERVE)) {
      if (length + runeLength(piece) + 1 > budget && lines.length > (fence ? 1 : 0)) flush();
      push(piece);
    }
    fence = fenceAfter(fence, line);
  }
  parts.push(lines.join('\n'));
  return parts;
}

/** Cuts text to `limit` runes at a line boundary, closing an open code block, with a note of what was left out. */
export function truncateMessage(text: string, limit: number): string {
  if (runeLength(text) <= limit) return text;
  const lines = text.split('\n');
  const kept: string[] = [];
  let length = 0;
  let fence: string | undefined;
  for (const line of lines) {
    if (length + runeLength(line) + 1 > limit - 2 * RESERVE) break;
    kept.push(line);
    length += runeLength(line) + 1;
    fence = fenceAfter(fence, line);
  }
  if (kept.length === 0) kept.push([...(lines[0] ?? '')].slice(0, limit - 2 * RESERVE).join(''));
  const left = lines.length - kept.length;
  return `${kept.join('\n')}${fence ? `\n${fence}` : ''}\n… ${left > 0 ? `${left} more lines` : 'cut'}`;
}
