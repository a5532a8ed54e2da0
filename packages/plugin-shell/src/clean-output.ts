import { stripVTControlCharacters } from 'node:util';

// C0 controls other than tab and newline, and DEL: they can rewrite what a chat client shows.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/**
 * Makes program output safe to show as plain text: ANSI escape sequences stripped, carriage-return
 * overwrites (progress bars) resolved to what a terminal would show last, other control characters
 * removed.
 */
export function cleanOutput(text: string): string {
  return stripVTControlCharacters(text)
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((line) => line.slice(line.lastIndexOf('\r') + 1).replace(CONTROL_CHARACTERS, ''))
    .join('\n');
}
