import { ListUserTagsCommand } from '@aws-sdk/client-iam';
import type { Card, MessageRef, PluginStore, Reply } from '@chatops/core';
import { AwsCallError, awsCall } from '../aws-errors.js';
import type { AwsSession } from '../aws-session.js';
import { hasMfa } from './live-check.js';
import type { MfaFinding } from './no-mfa.js';

/** How people are reached. */
export interface NotifySettings {
  via: 'dm' | 'route';
  route?: string;
  users: Record<string, string>;
  tagKeys: string[];
  cooldownMs: number;
}

/** What sending needs from the robot. */
export interface Messenger {
  /** Posts to a conversation name (`@alice` is a direct message where the adapter supports it). */
  send(conversation: string, reply: Reply): Promise<MessageRef | undefined>;
  notify(route: string, reply: Reply): Promise<MessageRef[]>;
}

export type NotifyOutcome =
  | { status: 'sent'; to: string }
  | { status: 'has-mfa' }
  | { status: 'recent' }
  | { status: 'no-handle' }
  | { status: 'failed'; reason: string };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The person's chat handle: the configured mapping, an email tag, or a user name that is an email. */
export async function chatHandle(
  session: AwsSession,
  user: string,
  settings: NotifySettings,
): Promise<string | undefined> {
  const mapped = settings.users[user];
  if (mapped) return mapped;
  try {
    const answer = await awsCall('ListUserTags', () =>
      session.iam().send(new ListUserTagsCommand({ UserName: user })),
    );
    const tags = new Map((answer.Tags ?? []).map((tag) => [tag.Key, tag.Value]));
    for (const key of settings.tagKeys) {
      const value = tags.get(key)?.trim();
      if (value) return value;
    }
  } catch (error) {
    // Without iam:ListUserTags the mapping and email-like user names still work.
    if (!(error instanceof AwsCallError && (error.denied || error.code === 'NoSuchEntityException')))
      throw error;
  }
  return EMAIL.test(user) ? user : undefined;
}

/** `@handle` for a direct message; names already starting with `@` or `#` are kept. */
export function directTarget(handle: string): string {
  return /^[@#]/.test(handle) ? handle : `@${handle}`;
}

/** The message the person gets; for a route, `route` names whom it is for. */
export function reminderCard(
  finding: MfaFinding,
  account: { name: string; id: string },
  requester: string,
  route?: { handle: string | undefined },
): Card {
  const console = finding.console ? ' and can sign in to the AWS console with a password' : '';
  const card: Card = {
    title: 'Please turn on MFA for your AWS user',
    status: 'warn',
    text:
      `The IAM user ${finding.user} in AWS account ${account.name} (${account.id}) has no MFA device${console}. ` +
      `Please assign one: IAM console → Users → ${finding.user} → Security credentials → Assign MFA device.`,
    footer: `Requested by ${requester}.`,
  };
  if (route)
    card.fields = [{ label: 'Chat user', value: route.handle ?? 'unknown (no mapping or email tag)' }];
  return card;
}

function cooldownKey(accountId: string, user: string): string {
  return `iam:notified:${accountId}:${user}`;
}

/**
 * Re-checks MFA live (the report can be hours old), skips users notified within the cooldown, finds the
 * person and messages them (or the route). Returns what happened; AWS errors other than tags propagate.
 */
export async function notifyUser(
  deps: {
    session: AwsSession;
    store: PluginStore;
    messenger: Messenger;
    settings: NotifySettings;
    now: number;
  },
  finding: MfaFinding,
  requester: string,
): Promise<NotifyOutcome> {
  const { session, store, messenger, settings } = deps;
  if (await hasMfa(session.iam(), finding.user)) return { status: 'has-mfa' };
  const { accountId } = await session.identity();
  const key = cooldownKey(accountId, finding.user);
  const fresh = await store.setIfAbsent(key, { at: deps.now, by: requester }, { ttlMs: settings.cooldownMs });
  if (!fresh) return { status: 'recent' };
  try {
    const handle = await chatHandle(session, finding.user, settings);
    const account = { name: session.name, id: accountId };
    let dmFailure = '';
    if (settings.via === 'dm' && handle) {
      const target = directTarget(handle);
      try {
        await messenger.send(target, reminderCard(finding, account, requester));
        return { status: 'sent', to: `DM ${target}` };
      } catch (error) {
        // Not every adapter can open a DM from a handle; the route is the fallback when there is one.
        if (!settings.route) throw error;
        dmFailure = ` after the DM to ${target} failed`;
      }
    }
    if (!settings.route) {
      await store.delete(key);
      return { status: 'no-handle' };
    }
    const posted = await messenger.notify(
      settings.route,
      reminderCard(finding, account, requester, { handle }),
    );
    if (posted.length === 0) {
      await store.delete(key);
      return {
        status: 'failed',
        reason: `notification route ${settings.route} has no target on this chat platform`,
      };
    }
    return { status: 'sent', to: `route ${settings.route}${handle ? ` for ${handle}` : ''}${dmFailure}` };
  } catch (error) {
    await store.delete(key);
    if (error instanceof AwsCallError) throw error;
    return { status: 'failed', reason: error instanceof Error ? error.message : String(error) };
  }
}

/** One line for the message: `alice: notified (DM @alice@example.com) by @bob`. */
export function notifyLine(
  user: string,
  outcome: NotifyOutcome,
  requester: string,
  cooldown: string,
): string {
  switch (outcome.status) {
    case 'sent':
      return `${user}: notified (${outcome.to}) by ${requester}`;
    case 'has-mfa':
      return `${user}: has turned on MFA since the check; not notified`;
    case 'recent':
      return `${user}: already notified within ${cooldown}; not notified again`;
    case 'no-handle':
      return `${user}: no chat handle known (add notify.users.${user} or an email tag); not notified`;
    case 'failed':
      return `${user}: not notified: ${outcome.reason}`;
  }
}
