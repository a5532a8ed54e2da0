/**
 * `text` with every character that means something in a regular expression escaped, to match it
 * literally inside a larger pattern (Node 24's `RegExp.escape`, for Node 22 too).
 *
 * @example
 * const mention = new RegExp(`^@${escapeRegExp(botName)}\\b`, 'i');
 */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
