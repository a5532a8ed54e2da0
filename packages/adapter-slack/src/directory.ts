import { type ChatUser, type Conversation, TtlCache } from '@chatops/core';
import type { WebClient } from '@slack/web-api';
import type { Logger } from './logger.js';

/** Slack channel ids: public `C…`, private `G…`, DMs `D…`. */
const CHANNEL_ID = /^[CGD][A-Z0-9]{2,}$/;
/** Slack user ids: `U…`, `W…` (Enterprise Grid). */
const USER_ID = /^[UW][A-Z0-9]{2,}$/;

/** Users and channels from the Web API, cached (users.info needs `users:read.email` for emails). */
export class SlackDirectory {
  private readonly users: TtlCache<ChatUser | undefined>;
  private readonly channelNames: TtlCache<string | undefined>;
  private readonly channelsByName: TtlCache<Map<string, string>>;

  constructor(
    private readonly web: WebClient,
    ttlMs: number,
    private readonly log: Logger,
  ) {
    this.users = new TtlCache({ ttlMs });
    this.channelNames = new TtlCache({ ttlMs });
    this.channelsByName = new TtlCache({ ttlMs });
  }

  /** A user's name, email and bot flag, or undefined when Slack does not know them. */
  user(id: string): Promise<ChatUser | undefined> {
    return this.users.get(id, async () => {
      try {
        const { user } = await this.web.users.info({ user: id });
        if (!user?.id) return undefined;
        const profile = user.profile ?? {};
        return {
          id: user.id,
          name: user.name || profile.display_name || user.real_name || user.id,
          ...(profile.email ? { email: profile.email } : {}),
          ...(user.is_bot ? { isBot: true } : {}),
        };
      } catch (error) {
        const code = slackError(error);
        if (code === 'user_not_found' || code === 'user_not_visible') return undefined;
        this.log.warn({ user: id, error: code }, 'users.info failed');
        throw error;
      }
    });
  }

  /** A channel's name (without `#`), or undefined for DMs or when it cannot be read. */
  channelName(id: string): Promise<string | undefined> {
    if (id.startsWith('D')) return Promise.resolve(undefined);
    return this.channelNames
      .get(id, async () => {
        const { channel } = await this.web.conversations.info({ channel: id });
        return channel?.name;
      })
      .catch((error: unknown) => {
        this.log.warn(
          { channel: id, error: slackError(error) },
          'conversations.info failed; channel rules by name will not match',
        );
        return undefined;
      });
  }

  /**
   * Resolves `#ops`, `ops` or a channel id to a conversation, and `@U123` or `@alice@example.com` to
   * the direct-message conversation with that person (users.lookupByEmail, conversations.open).
   */
  async resolveChannel(name: string): Promise<Conversation | undefined> {
    if (name.startsWith('@')) return this.directMessage(name);
    const bare = name.replace(/^#/, '');
    if (CHANNEL_ID.test(bare)) {
      return { id: bare, kind: bare.startsWith('D') ? 'dm' : 'channel' };
    }
    const byName = await this.channelsByName.get('all', () => this.listChannels());
    const id = byName.get(bare.toLowerCase());
    return id ? { id, name: `#${bare}`, kind: 'channel' } : undefined;
  }

  private async directMessage(name: string): Promise<Conversation | undefined> {
    const handle = name.slice(1);
    let userId: string | undefined = USER_ID.test(handle) ? handle : undefined;
    try {
      if (!userId && handle.includes('@'))
        userId = (await this.web.users.lookupByEmail({ email: handle })).user?.id;
      if (!userId) return undefined;
      const opened = await this.web.conversations.open({ users: userId });
      return opened.channel?.id ? { id: opened.channel.id, name, kind: 'dm' } : undefined;
    } catch (error) {
      const code = slackError(error);
      if (code === 'users_not_found' || code === 'user_not_found') return undefined;
      throw error;
    }
  }

  private async listChannels(): Promise<Map<string, string>> {
    const byName = new Map<string, string>();
    let cursor: string | undefined;
    do {
      const page = await this.web.conversations.list({
        types: 'public_channel,private_channel',
        exclude_archived: true,
        limit: 1000,
        ...(cursor ? { cursor } : {}),
      });
      for (const channel of page.channels ?? []) {
        if (channel.id && channel.name) byName.set(channel.name.toLowerCase(), channel.id);
      }
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return byName;
  }
}

/** The Slack error code of a Web API failure (never the request, which holds the token). */
export function slackError(error: unknown): string {
  const data = (error as { data?: { error?: unknown } }).data;
  if (typeof data?.error === 'string') return data.error;
  return error instanceof Error ? error.message : String(error);
}
