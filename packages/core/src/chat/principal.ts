import type { ChatUser } from './incoming.js';

/** Who is asking: a resolved chat user with their roles. Read-only: roles come from the policy only. */
export interface Principal {
  readonly platform: string;
  /** Platform user id. */
  readonly id: string;
  /** `platform:id`, the form used in config (`slack:U123`, `shell:alice`). */
  readonly key: string;
  readonly name: string;
  readonly email?: string;
  /**
   * Set when the adapter could not be asked for the user's email (a failed lookup, not "has none"):
   * whatever depends on the email, such as telling two accounts of one person apart, fails closed.
   */
  readonly emailUnknown?: boolean;
  readonly roles: readonly string[];
  readonly isBot?: boolean;
}

/** The chat user a principal is, as adapters take it (id, name and email when known). */
export function chatUser(principal: Principal): ChatUser {
  return { id: principal.id, name: principal.name, ...(principal.email ? { email: principal.email } : {}) };
}
