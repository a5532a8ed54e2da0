import { type ChatUser, TtlCache } from '@chatops/core';
import type { WebClient } from '@slack/web-api';
import type { Logger } from './logger.js';
import { slackError } from './slack-error.js';

/** Users by id from `users.info`, cached (emails need `users:read.email`). */
export class UserDirectory {
  private readonly cache: TtlCache<ChatUser | undefined>;

  constructor(
    private readonly web: WebClient,
    ttlMs: number,
    private readonly log: Logger,
  ) {
    this.cache = new TtlCache({ ttlMs });
  }

  /** A user's name, email and bot flag, or undefined when Slack does not know them. */
  lookup(id: string): Promise<ChatUser | undefined> {
    return this.cache.get(id, async () => {
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
}
