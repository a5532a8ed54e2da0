/**
 * Escaping for Slack text. Slack treats `&`, `<` and `>` as control characters (`<@U123>` mentions,
 * `<!here>` broadcasts, `<url|label>` links), so every piece of user or script text is escaped before
 * it is put in a message. Escaping `&` first keeps existing entities from being decoded.
 */
export function escapeText(text: string): string {
  return defuseBroadcasts(text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
}

/** A zero-width space after `@` keeps a literal `@here` from being parsed as a broadcast. */
function defuseBroadcasts(text: string): string {
  return text.replace(/@(channel|here|everyone)\b/gi, '@\u200b$1');
}

/** Escaped length of `text`, without building the escaped string. */
export function escapedLength(text: string): number {
  return escapeText(text).length;
}

/**
 * A preformatted block. The content is escaped, and backtick runs are broken up so the content
 * cannot close the block early.
 */
export function codeBlock(text: string): string {
  return '```\n' + escapeText(text).replace(/```/g, '`\u200b`\u200b`') + '\n```';
}

/** Characters `codeBlock` adds around its content. */
export const CODE_FENCE_OVERHEAD = 8;

/** Undoes Slack's escaping in inbound text. */
export function unescapeText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
