import type { AuthConfig, AuthRule } from '../config/schema.js';
import type { Invocation } from '../context.js';
import type { Conversation } from '../incoming.js';
import type { Principal } from '../principal.js';
import { globMatches, principalMatches } from './principal-pattern.js';

/** An approval a rule asks for. */
export interface ApprovalRequirement {
  roles: string[];
  count: number;
  ttl: string | number;
}

/** The policy's answer. */
export type PolicyDecision =
  | { allowed: true; approval?: ApprovalRequirement; rule?: number }
  | { allowed: false; reason: string };

/**
 * Who may do what. Rules whose `allow` glob names a permission form its allow-list: at least one must
 * match the caller's roles, the conversation and the arguments. A permission no rule names falls back
 * to `auth.defaults` by effect (read allowed, write denied unless configured otherwise).
 */
export class Policy {
  constructor(private readonly auth: AuthConfig) {}

  /** Roles whose principal patterns match. */
  rolesOf(principal: Pick<Principal, 'key' | 'email'>): string[] {
    return Object.entries(this.auth.roles)
      .filter(([, patterns]) => patterns.some((pattern) => principalMatches(pattern, principal)))
      .map(([role]) => role);
  }

  /**
   * Decides one invocation. With `ignoreConditions`, channel and argument limits are not checked:
   * "could this principal run it somewhere" (for `help` and `whoami`).
   */
  decide(
    principal: Principal,
    invocation: Pick<Invocation, 'permission' | 'effect' | 'args'>,
    conversation: Conversation,
    options: { ignoreConditions?: boolean } = {},
  ): PolicyDecision {
    const rules = this.auth.rules
      .map((rule, index) => ({ rule, index }))
      .filter(({ rule }) => allowGlobs(rule).some((glob) => globMatches(glob, invocation.permission)));
    if (rules.length === 0) {
      return this.auth.defaults[invocation.effect] === 'allow'
        ? { allowed: true }
        : {
            allowed: false,
            reason: `${invocation.permission} is a ${invocation.effect} permission and no rule grants it`,
          };
    }
    const granted = rules.filter(
      ({ rule }) =>
        this.failure(rule, principal, invocation, conversation, options.ignoreConditions) === undefined,
    );
    const best = granted.find(({ rule }) => !rule.approval) ?? granted[0];
    if (best) {
      return best.rule.approval
        ? { allowed: true, rule: best.index, approval: best.rule.approval }
        : { allowed: true, rule: best.index };
    }
    return { allowed: false, reason: this.failure(rules[0]!.rule, principal, invocation, conversation)! };
  }

  /** Whether a principal holds any of the roles (`*` = anyone). */
  hasAnyRole(principal: Principal, roles: readonly string[]): boolean {
    return roles.includes('*') || roles.some((role) => principal.roles.includes(role));
  }

  private failure(
    rule: AuthRule,
    principal: Principal,
    invocation: Pick<Invocation, 'args'>,
    conversation: Conversation,
    ignoreConditions = false,
  ): string | undefined {
    const where = rule.channels?.length ? ` in ${rule.channels.join(' or ')}` : '';
    if (!this.hasAnyRole(principal, rule.roles)) return `needs role ${rule.roles.join(' or ')}${where}`;
    if (ignoreConditions) return undefined;
    if (rule.channels?.length && !rule.channels.some((channel) => channelMatches(channel, conversation))) {
      return `allowed only${where}`;
    }
    for (const [name, allowed] of Object.entries(rule.args ?? {})) {
      const value = invocation.args[name];
      if (
        !allowed.some((candidate) => String(candidate).toLowerCase() === String(value ?? '').toLowerCase())
      ) {
        return `${name} must be one of ${allowed.join(', ')}`;
      }
    }
    return undefined;
  }
}

function allowGlobs(rule: AuthRule): string[] {
  return Array.isArray(rule.allow) ? rule.allow : [rule.allow];
}

/** `#ops` matches by name, a bare id by id, `dm` any direct message. */
function channelMatches(channel: string, conversation: Conversation): boolean {
  if (channel === 'dm') return conversation.kind === 'dm';
  const bare = channel.replace(/^#/, '').toLowerCase();
  const name = conversation.name?.replace(/^#/, '').toLowerCase();
  return name === bare || conversation.id.toLowerCase() === bare;
}
