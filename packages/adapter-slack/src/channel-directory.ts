import { type Conversation, TtlCache } from '@chatops/core';
import type { WebClient } from '@slack/web-api';
import type { Logger } from './logger.js';
import { slackError } from './slack-error.js';

/** Slack channel ids: public `C…`, private `G…`, DMs `D…`. */
const CHANNEL_ID = /^[CGD][A-Z0-9]{2,}$/;
/** Slack user ids: `U…`, `W…` (Enterprise Grid). */
const USER_ID = /^[UW][A-Z0-9]{2,}$/;

/** Channel names by id (cached), and channel names or people from config resolved to conversations. */
export class ChannelDirectory {
  private readonly names: TtlCache<string | undefined>;
  private readonly idsByName: TtlCache<Map<string, string>>;

  constructor(
    private readonly web: WebClient,
    ttlMs: number,
    private readonly log: Logger,
  ) {
    this.names = new TtlCache({ ttlMs });
    this.idsByName = new TtlCache({ ttlMs });
  }

  /** A channel's name (without `#`), or undefined for DMs or when it cannot be read. */
  nameOf(id: string): Promise<string | undefined> {
    if (id.startsWith('D')) return Promise.resolve(undefined);
    return this.names
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
  async resolve(name: string): Promise<Conversation | undefined> {
    if (name.startsWith('@')) return this.directMessage(name);
    const bare = name.replace(/^#/, '');
    if (CHANNEL_ID.test(bare)) {
      return { id: bare, kind: bare.startsWith('D') ? 'dm' : 'channel' };
    }
    const byName = await this.idsByName.get('all', () => this.listChannels());
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
