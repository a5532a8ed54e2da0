import { type ChatUser, TtlCache } from '@chatops/core';
import type { MattermostUser } from './mattermost-types.js';
import type { RestClient } from './rest-client.js';

/** Users by id from `GET /users/{id}`, cached. */
export class UserDirectory {
  private readonly cache: TtlCache<MattermostUser>;

  constructor(
    private readonly rest: RestClient,
    ttlMs: number,
  ) {
    this.cache = new TtlCache({ ttlMs });
  }

  get(id: string): Promise<MattermostUser> {
    return this.cache.get(id, async () => (await this.rest.getUser(id)) as MattermostUser);
  }

  /** The chat user, with the email when the server exposes it (`PrivacySettings.ShowEmailAddress`). */
  async lookup(id: string): Promise<ChatUser> {
    const user = await this.get(id);
    return {
      id: user.id,
      name: user.username,
      ...(user.email ? { email: user.email } : {}),
      ...(user.is_bot ? { isBot: true } : {}),
    };
  }
}
