import { escapeRegExp } from '../shared/escape-regexp.js';
/** The command line of a message and whether it was for the bot. */
export interface Addressed {
  addressed: boolean;
  text: string;
}

/**
 * Strips how a message addresses the bot: `@opsbot`, `opsbot:`, `opsbot,`, `opsbot ` or the prefix
 * (`!ping`). A message the adapter already knows is addressed (DM, mention, slash command) stays
 * addressed; the robot's name or prefix in front of it is still removed.
 */
export function createAddressing(
  name: string,
  prefix?: string,
): (text: string, addressed: boolean) => Addressed {
  const byName = new RegExp(`^\\s*@?${escapeRegExp(name)}(?:[:,]\\s*|\\s+|$)`, 'i');
  return (text, addressed) => {
    const trimmed = text.trim();
    const named = byName.exec(trimmed);
    if (named) return { addressed: true, text: trimmed.slice(named[0].length).trim() };
    if (prefix && trimmed.startsWith(prefix) && trimmed.length > prefix.length) {
      return { addressed: true, text: trimmed.slice(prefix.length).trim() };
    }
    return { addressed, text: trimmed };
  };
}
