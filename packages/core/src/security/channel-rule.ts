import type { Conversation } from '../chat/incoming.js';

/**
 * How the `channels:` entries of a rule match a conversation:
 * - `dm`: any direct message;
 * - `#name`: a channel with that name (case-insensitive); on a platform with teams (the adapter names its
 *   home teams) only a channel of one of those teams;
 * - `#team/name`: the channel with that name in that team;
 * - anything else is a channel id, compared exactly.
 *
 * Names and ids never stand in for each other: a channel *named* like an allowed id does not match it.
 */
export function channelMatches(
  entry: string,
  conversation: Conversation,
  homeTeams: readonly string[],
): boolean {
  if (entry === 'dm') return conversation.kind === 'dm';
  if (!entry.startsWith('#')) return conversation.id === entry;
  if (conversation.kind === 'dm' || conversation.name === undefined) return false;
  const name = conversation.name.replace(/^#/, '').toLowerCase();
  const wanted = entry.slice(1).toLowerCase();
  const slash = wanted.indexOf('/');
  if (slash >= 0) {
    return conversation.team?.toLowerCase() === wanted.slice(0, slash) && name === wanted.slice(slash + 1);
  }
  if (name !== wanted) return false;
  // A platform without teams names none; on one with teams, a channel whose team is unknown fails closed.
  if (homeTeams.length === 0) return conversation.team === undefined;
  const team = conversation.team?.toLowerCase();
  return team !== undefined && homeTeams.some((home) => home.toLowerCase() === team);
}

/**
 * Where a rule applies, in the words of the rule: `#name` and `dm` entries as written; channel ids are
 * not shown (the caller did not type them, and an id tells them nothing they should act on).
 */
export function describeChannels(entries: readonly string[]): string {
  const named = entries.filter((entry) => entry.startsWith('#'));
  if (entries.includes('dm')) named.push('a direct message');
  const ids = entries.filter((entry) => entry !== 'dm' && !entry.startsWith('#')).length;
  if (ids > 0) {
    const others = named.length > 0 ? 'other' : 'specific';
    named.push(ids === 1 ? `one ${others} channel` : `${ids} ${others} channels`);
  }
  return named.join(' or ');
}
