import type { Conversation } from '../chat/incoming.js';
import type { Principal } from '../chat/principal.js';
import type { AuthConfig, AuthRule } from '../config/schema.js';
import type { Args, ArgValue, Invocation } from '../pipeline/context.js';
import { channelMatches, describeChannels } from './channel-rule.js';
import { globMatches, principalMatches } from './principal-pattern.js';

/** An approval a rule asks for. */
export interface ApprovalRequirement {
  roles: string[];
  count: number;
  /** Milliseconds. */
  ttl: number;
}

/** The policy's answer. */
export type PolicyDecision =
  | {
      allowed: true;
      approval?: ApprovalRequirement;
      rule?: number;
      /** The arguments as the granting rule spells them (allow-lists compare case-insensitively). */
      args?: Args;
    }
  | { allowed: false; reason: string };

/**
 * Permissions that `auth.defaults` never grant: reading the audit trail shows every user's principal,
 * email, conversations and arguments, so it takes a rule.
 */
const NEEDS_A_RULE = new Set(['core.audit.read']);

/** Where a platform with teams keeps the channels that `#name` rule entries mean. */
export interface PolicyOptions {
  /** The bot's own team(s) (Mattermost); `#name` entries match only channels in them. */
  homeTeams?: () => readonly string[];
}

/** How far a rule got before it failed: its roles, its channels, its argument values. */
type RuleCheck =
  | { stage: 'role' }
  | { stage: 'channel' }
  | { stage: 'args'; name: string }
  | { stage: 'granted'; args: Args };

/**
 * Who may do what. Rules whose `allow` glob names a permission form its allow-list: at least one must
 * match the caller's roles, then the conversation, then the arguments. A permission no rule names falls
 * back to `auth.defaults` by effect (read allowed, write denied unless configured otherwise). A refusal
 * is explained from every rule that names the permission, at the furthest check any of them reached.
 */
export class Policy {
  constructor(
    private readonly auth: AuthConfig,
    private readonly options: PolicyOptions = {},
  ) {}

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
    principal: Pick<Principal, 'roles'>,
    invocation: Pick<Invocation, 'permission' | 'effect' | 'args'>,
    conversation: Conversation,
    options: { ignoreConditions?: boolean } = {},
  ): PolicyDecision {
    const rules = this.auth.rules
      .map((rule, index) => ({ rule, index }))
      .filter(({ rule }) => allowGlobs(rule).some((glob) => globMatches(glob, invocation.permission)));
    if (rules.length === 0) {
      if (NEEDS_A_RULE.has(invocation.permission)) {
        return { allowed: false, reason: `${invocation.permission} is only for those a rule grants it to` };
      }
      return this.auth.defaults[invocation.effect] === 'allow'
        ? { allowed: true }
        : {
            allowed: false,
            reason: `${invocation.permission} is a ${invocation.effect} permission and no rule grants it`,
          };
    }
    const checked = rules.map((entry) => ({
      ...entry,
      check: this.check(entry.rule, principal, invocation.args, conversation, options.ignoreConditions),
    }));
    const granted = checked.filter((entry) => entry.check.stage === 'granted');
    const best = granted.find(({ rule }) => !rule.approval) ?? granted[0];
    if (best && best.check.stage === 'granted') {
      return {
        allowed: true,
        rule: best.index,
        args: best.check.args,
        ...(best.rule.approval ? { approval: best.rule.approval } : {}),
      };
    }
    return { allowed: false, reason: refusal(checked) };
  }

  /** Whether a principal holds any of the roles (`*` = anyone). */
  hasAnyRole(principal: Pick<Principal, 'roles'>, roles: readonly string[]): boolean {
    return roles.includes('*') || roles.some((role) => principal.roles.includes(role));
  }

  private check(
    rule: AuthRule,
    principal: Pick<Principal, 'roles'>,
    args: Args,
    conversation: Conversation,
    ignoreConditions = false,
  ): RuleCheck {
    if (!this.hasAnyRole(principal, rule.roles)) return { stage: 'role' };
    if (ignoreConditions) return { stage: 'granted', args };
    const homeTeams = this.options.homeTeams?.() ?? [];
    if (
      rule.channels?.length &&
      !rule.channels.some((entry) => channelMatches(entry, conversation, homeTeams))
    )
      return { stage: 'channel' };
    const canonical: Record<string, ArgValue> = { ...args };
    for (const [name, allowed] of Object.entries(rule.args ?? {})) {
      const value = canonicalValue(args[name], allowed);
      if (value === undefined) return { stage: 'args', name };
      canonical[name] = value;
    }
    return { stage: 'granted', args: canonical };
  }
}

type Allowed = readonly (string | number | boolean)[];

/** The allowed spelling of `value` (each element of a list), or undefined when it is not allowed. */
function canonicalValue(value: ArgValue, allowed: Allowed): ArgValue {
  if (Array.isArray(value)) {
    const each = value.map((item) => canonicalValue(item, allowed));
    return each.every((item) => item !== undefined) ? (each as string[]) : undefined;
  }
  const typed = String(value ?? '').toLowerCase();
  const match = allowed.find((candidate) => String(candidate).toLowerCase() === typed);
  if (match === undefined) return undefined;
  return typeof value === 'string' ? String(match) : value;
}

/** Why none of the rules granted it, from the rules that got furthest. */
function refusal(checked: { rule: AuthRule; check: RuleCheck }[]): string {
  const reached = (stage: RuleCheck['stage']) => checked.filter(({ check }) => check.stage === stage);
  const onArgs = reached('args');
  if (onArgs.length > 0) return argumentsRefusal(onArgs);
  const onChannel = reached('channel');
  if (onChannel.length > 0) {
    return `allowed only in ${describeChannels(unique(onChannel.flatMap(({ rule }) => rule.channels ?? [])))}`;
  }
  const roles = unique(
    checked.map(({ rule }) => {
      const where = rule.channels?.length ? ` in ${describeChannels(rule.channels)}` : '';
      return `${rule.roles.join(' or ')}${where}`;
    }),
  );
  return `needs role ${roles.join(', or role ')}`;
}

/**
 * `service must be one of api, web, db (db after approval)`: per argument, the values of every rule that
 * got as far as its arguments and failed on that one.
 */
function argumentsRefusal(rules: { rule: AuthRule; check: RuleCheck }[]): string {
  const names = unique(rules.map(({ check }) => (check.stage === 'args' ? check.name : '')));
  return names
    .map((name) => {
      const direct: string[] = [];
      const approved: string[] = [];
      for (const { rule, check } of rules) {
        if (check.stage !== 'args' || check.name !== name) continue;
        for (const value of rule.args?.[name] ?? []) (rule.approval ? approved : direct).push(String(value));
      }
      const afterApproval = unique(approved).filter((value) => !direct.includes(value));
      const all = unique([...direct, ...afterApproval]);
      const note =
        afterApproval.length > 0 && direct.length > 0 ? ` (${afterApproval.join(', ')} after approval)` : '';
      const lead = direct.length === 0 && afterApproval.length > 0 ? ' (after approval)' : '';
      return `${name} must be one of ${all.join(', ')}${note}${lead}`;
    })
    .join('; ');
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

function allowGlobs(rule: AuthRule): string[] {
  return Array.isArray(rule.allow) ? rule.allow : [rule.allow];
}
