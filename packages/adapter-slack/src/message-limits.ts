/** Slack's message and Block Kit limits (reference §7); the renderer keeps every message inside them. */
export const LIMITS = {
  /** Blocks per message. */
  blocks: 50,
  /** Characters of a section's text. */
  sectionText: 3000,
  /** Fields per section. */
  sectionFields: 10,
  /** Characters of one field. */
  fieldText: 2000,
  /** Characters of a header (plain text). */
  headerText: 150,
  /** Buttons per actions block. */
  actionsPerBlock: 25,
  /** Characters of a button label. */
  buttonText: 75,
  /** Characters of a button value (the action token). */
  buttonValue: 2000,
  /** Confirm dialog: title, text, and button labels. */
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  /** Characters of a context element. */
  contextText: 3000,
  /**
   * Cumulative block text. Slack does not document it; `msg_blocks_too_long` was observed around
   * 12,000 characters, so the renderer stays below with a margin.
   */
  messageText: 11_000,
  /** Characters of the notification fallback `text`. */
  fallbackText: 3000,
} as const;

/**
 * The longest prefix of `text` whose escaped form fits in `limit` characters, cut at a code point
 * boundary (never inside an entity or a surrogate pair).
 */
export function cutToEscapedLength(text: string, limit: number, measure: (chunk: string) => number): string {
  let used = 0;
  let end = 0;
  for (const char of text) {
    const size = measure(char);
    if (used + size > limit) break;
    used += size;
    end += char.length;
  }
  return text.slice(0, end);
}

/**
 * Splits text into chunks whose escaped length fits `limit`, preferring line breaks, then spaces, then
 * a hard cut.
 */
export function splitText(text: string, limit: number, measure: (chunk: string) => number): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (measure(rest) > limit) {
    const fitting = cutToEscapedLength(rest, limit, measure);
    const lineBreak = fitting.lastIndexOf('\n');
    const space = fitting.lastIndexOf(' ');
    const early = fitting.length / 4;
    const cut = lineBreak > early ? lineBreak : space > early ? space : fitting.length;
    chunks.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^[\n ]/, '');
  }
  if (rest.length > 0 || chunks.length === 0) chunks.push(rest);
  return chunks;
}

/** The first lines of `text` whose measured length fits `limit`, and how many lines were left out. */
export function previewLines(
  text: string,
  limit: number,
  measure: (chunk: string) => number,
): { preview: string; omitted: number } {
  const lines = text.split('\n');
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    const size = measure(line) + 1;
    if (used + size > limit) break;
    kept.push(line);
    used += size;
  }
  if (kept.length === 0 && lines.length > 0) kept.push(cutToEscapedLength(lines[0]!, limit, measure));
  return { preview: kept.join('\n'), omitted: lines.length - kept.length };
}
