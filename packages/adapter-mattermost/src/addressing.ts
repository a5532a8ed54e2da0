import { escapeRegExp } from '@chatops/core';
/** The command text of a post and whether it was for the bot. */
export interface Addressing {
  addressed: boolean;
  text: string;
}

/**
 * A DM is for the bot; so is a post that starts with `@<bot username>` (the mention is stripped, with a
 * following `:` or `,`). Anything else is `addressed: false`, and the robot checks its name and prefix.
 */
export function addressPost(message: string, botUsername: string, isDirect: boolean): Addressing {
  const mention = new RegExp(`^\\s*@${escapeRegExp(botUsername)}(?![\\w.-])[:,]?\\s*`, 'i');
  const match = mention.exec(message);
  if (match) return { addressed: true, text: message.slice(match[0].length).trim() };
  return { addressed: isDirect, text: message.trim() };
}
