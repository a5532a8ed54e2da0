import type { Adapter } from '../chat/adapter.js';
import type { ChatUser, Incoming } from '../chat/incoming.js';
import type { Principal } from '../chat/principal.js';
import type { Policy } from './policy.js';

const EMAIL_TTL_MS = 60 * 60 * 1000;

/** The principal of a chat user before roles are resolved. */
export function basePrincipal(platform: string, user: ChatUser): Principal {
  return {
    platform,
    id: user.id,
    key: `${platform}:${user.id}`,
    name: user.name,
    ...(user.email ? { email: user.email } : {}),
    roles: [],
    ...(user.isBot ? { isBot: true } : {}),
  };
}

/**
 * Resolves who is asking: the platform user, their email (from the adapter, cached) and their roles
 * from config, so one policy works on every platform.
 */
export class Identity {
  private readonly emails = new Map<string, { email: string | undefined; expires: number }>();

  constructor(
    private readonly policy: Policy,
    private readonly adapter: Pick<Adapter, 'lookupUser'>,
    private readonly now: () => number,
  ) {}

  async resolve(incoming: Incoming): Promise<Principal> {
    const base = basePrincipal(incoming.platform, incoming.user);
    const lookup = base.email ? { email: base.email } : await this.email(base.key, incoming.user.id);
    const principal = lookup.email
      ? { ...base, email: lookup.email }
      : lookup.failed
        ? { ...base, emailUnknown: true }
        : base;
    return { ...principal, roles: this.policy.rolesOf(principal) };
  }

  /** The same principal with its roles resolved again from the policy (for nested runs). */
  refresh(principal: Principal): Principal {
    return { ...principal, roles: this.policy.rolesOf(principal) };
  }

  /**
   * The user's email from the adapter, cached for an hour. A failed lookup is not cached: it says
   * nothing about the user, so it is tried again next time and reported as `failed`.
   */
  private async email(key: string, id: string): Promise<{ email?: string; failed?: true }> {
    if (!this.adapter.lookupUser) return {};
    const cached = this.emails.get(key);
    if (cached && cached.expires > this.now()) return cached.email ? { email: cached.email } : {};
    let email: string | undefined;
    try {
      email = (await this.adapter.lookupUser(id))?.email;
    } catch {
      return { failed: true };
    }
    this.emails.set(key, { email, expires: this.now() + EMAIL_TTL_MS });
    return email ? { email } : {};
  }
}
