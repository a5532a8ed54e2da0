import { type Conversation, TtlCache } from '@chatops/core';
import type { MattermostChannel, MattermostTeam, MattermostUser } from './mattermost-types.js';
import { MattermostApiError, type RestClient } from './rest-client.js';

/** Channels by id (cached), the bot's channels, and channel names from config resolved to ids. */
export class ChannelDirectory {
  private readonly cache: TtlCache<MattermostChannel>;
  /** Names of the bot's teams by id (the bot only sees channels of teams it is in). */
  private teamNames = new Map<string, string>();

  constructor(
    private readonly rest: RestClient,
    ttlMs: number,
    private readonly defaultTeam: string | undefined,
  ) {
    this.cache = new TtlCache({ ttlMs });
  }

  get(id: string): Promise<MattermostChannel> {
    return this.cache.get(id, async () => (await this.rest.getChannel(id)) as MattermostChannel);
  }

  /** Every channel the bot is a member of, DMs included. */
  async memberships(): Promise<MattermostChannel[]> {
    const teams = (await this.rest.getMyTeams()) as MattermostTeam[];
    const byId = new Map<string, MattermostChannel>();
    for (const team of teams) {
      for (const channel of (await this.rest.getMyChannels(team.id)) as MattermostChannel[]) {
        byId.set(channel.id, channel);
        this.cache.set(channel.id, channel);
      }
    }
    return [...byId.values()];
  }

  /**
   * Resolves `#ops`/`ops` (in `team` or the bot's first team), `acme/ops`, a channel id, or `@alice`
   * (the DM with her); undefined when there is no such channel.
   */
  async resolve(name: string, me: MattermostUser): Promise<Conversation | undefined> {
    const trimmed = name.trim();
    try {
      if (trimmed.startsWith('@')) {
        const handle = trimmed.slice(1);
        const user = (await (handle.includes('@')
          ? this.rest.getUserByEmail(handle)
          : this.rest.getUserByUsername(handle))) as MattermostUser;
        const dm = (await this.rest.createDirectChannel([me.id, user.id])) as MattermostChannel;
        return { id: dm.id, name: trimmed, kind: 'dm' };
      }
      if (/^[a-z0-9]{26}$/.test(trimmed)) return toConversation(await this.get(trimmed));
      const bare = trimmed.replace(/^[#~]/, '');
      const [teamName, channelName] = bare.includes('/') ? bare.split('/', 2) : [await this.teamName(), bare];
      if (!teamName || !channelName) return undefined;
      const channel = (await this.rest.getChannelByNameAndTeamName(
        teamName,
        channelName,
      )) as MattermostChannel;
      this.cache.set(channel.id, channel);
      return toConversation(channel);
    } catch (error) {
      if (error instanceof MattermostApiError && (error.status === 404 || error.status === 403))
        return undefined;
      throw error;
    }
  }

  /** The bot's home team: the configured `team`, or its first team. */
  async teamName(): Promise<string | undefined> {
    if (this.defaultTeam) return this.defaultTeam;
    const teams = (await this.rest.getMyTeams()) as MattermostTeam[];
    return teams[0]?.name;
  }

  /**
   * The name of the team a channel belongs to; undefined for DMs and group messages (no team). A team
   * the bot cannot name is given by its id, which matches no `#name` rule.
   */
  async teamOf(channel: Pick<MattermostChannel, 'team_id'>): Promise<string | undefined> {
    if (!channel.team_id) return undefined;
    if (!this.teamNames.has(channel.team_id)) {
      const teams = (await this.rest.getMyTeams()) as MattermostTeam[];
      this.teamNames = new Map(teams.map((team) => [team.id, team.name]));
    }
    return this.teamNames.get(channel.team_id) ?? channel.team_id;
  }
}

/** The conversation of a channel. */
export function toConversation(channel: MattermostChannel): Conversation {
  const dm = channel.type === 'D';
  return {
    id: channel.id,
    name: dm ? channel.display_name || channel.name : channel.name,
    kind: dm ? 'dm' : 'channel',
  };
}
