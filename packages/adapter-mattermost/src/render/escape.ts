const ZERO_WIDTH_SPACE = '\u200B';

/**
 * Breaks `@channel`, `@all` and `@here` with a zero-width space so they neither notify nor highlight;
 * the text still reads the same.
 */
export function neutralizeMentions(text: string): string {
  return text.replace(/@(channel|all|here)(?![\w-])/gi, `@${ZERO_WIDTH_SPACE}$1`);
}

/** Characters that start Markdown anywhere in a line (emphasis, code, links, tables, tags, ~channels). */
const INLINE_SPECIALS = /[\\`*_~[\]<>|#]/g;
/** Things that are Markdown only at the start of a line (lists, headings, quotes, setext underlines). */
const LINE_START = /^(\s*)([-+=]+|\d+[.)])(?=\s|$)/;

/** Escapes plain text for Markdown (message, attachment text, field values) and disarms mass mentions. */
export function escapeMarkdown(text: string): string {
  const escaped = text
    .split('\n')
    .map((line) =>
      line.replace(INLINE_SPECIALS, '\\$&').replace(LINE_START, (_m, space: string, marker: string) => {
        return `${space}${marker.replace(/([-+=.)])/, '\\$1')}`;
      }),
    )
    .join('\n');
  return neutralizeMentions(escaped);
}

/** Plain-text places (attachment title, field title, footer, fallback): only the mentions are disarmed. */
export function escapePlain(text: string): string {
  return neutralizeMentions(text);
}

/** A fenced code block whose fence is longer than any backtick run inside, so the content cannot close it. */
export function codeBlock(code: string): string {
  const longestRun = Math.max(2, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  return `${fence}\n${code.replace(/\n+$/, '')}\n${fence}`;
}

/** Inline code that the content cannot break out of. */
export function inlineCode(text: string): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}
