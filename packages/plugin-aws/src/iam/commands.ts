import { type Bot, type Card, type Context, formatDuration, UserFacingError } from '@chatops/core';
import type { Accounts } from '../accounts.js';
import { withAwsErrors } from '../aws-handler.js';
import type { AwsSession } from '../aws-session.js';
import { mapLimit } from '../concurrency.js';
import type { AwsConfig } from '../config.js';
import { plural } from '../format.js';
import type { ScanStore } from '../scan-store.js';
import {
  NOTIFY_ACTION,
  NOTIFY_ALL_ACTION,
  type NoMfaRecord,
  type NotifyAllArgs,
  type NotifyArgs,
  noMfaCard,
  notifiable,
} from './no-mfa-card.js';
import type { NotifyOutcome, NotifySettings } from './notify.js';

/** Loads the SDK-backed IAM code on the first command that needs it. */
const operations = () => import('./operations.js');

/** Everything the IAM commands and buttons share. */
export interface IamDeps {
  bot: Bot;
  accounts: Accounts;
  config: AwsConfig;
  lists: ScanStore<NoMfaRecord>;
}

const EXPIRED = 'This list has expired; run `aws iam no-mfa` again for a fresh one.';

export function notifySettings(config: AwsConfig): NotifySettings {
  const { via, route, users, tagKeys, cooldown } = config.notify;
  return {
    via,
    users,
    tagKeys,
    cooldownMs: cooldown,
    ...(route ? { route } : {}),
  };
}

/** Lists users without MFA in one account and stores the record behind the buttons. */
export async function listAndStore(
  deps: IamDeps,
  session: AwsSession,
  consoleOnly: boolean,
  signal?: AbortSignal,
): Promise<{ id: string; record: NoMfaRecord; card: Card }> {
  const iam = deps.config.iam;
  const { findUsersWithoutMfa } = await operations();
  const result = await findUsersWithoutMfa(session, {
    consoleOnly,
    pollInterval: iam.reportPollInterval,
    timeout: iam.reportTimeout,
    fallback: iam.fallback,
    concurrency: iam.concurrency,
    now: () => deps.bot.now(),
    ...(signal ? { signal } : {}),
  });
  const record: NoMfaRecord = { result, notes: {}, log: [] };
  const id = await deps.lists.save(record);
  return { id, record, card: render(deps, id, record) };
}

function render(deps: IamDeps, id: string, record: NoMfaRecord): Card {
  return noMfaCard(id, record, { ...deps.config.iam, now: deps.bot.now() });
}

function noteFor(outcome: NotifyOutcome, who: string): string | undefined {
  if (outcome.status === 'sent') return `notified by ${who}`;
  if (outcome.status === 'has-mfa') return 'MFA on since the check';
  if (outcome.status === 'recent') return 'notified recently';
  return undefined;
}

async function notifier(deps: IamDeps, ctx: Context, session: AwsSession) {
  const { notifyLine, notifyUser } = await operations();
  const settings = notifySettings(deps.config);
  const who = `@${ctx.user.name}`;
  return {
    who,
    cooldown: formatDuration(deps.config.notify.cooldown),
    notifyLine,
    notify: (finding: NoMfaRecord['result']['findings'][number]) =>
      notifyUser(
        {
          session,
          store: deps.bot.store,
          settings,
          now: deps.bot.now(),
          messenger: {
            send: (conversation, reply) => ctx.send(conversation, reply),
            notify: (route, reply) => deps.bot.notify(route, reply),
          },
        },
        finding,
        who,
      ),
  };
}

async function notifyOne(deps: IamDeps, ctx: Context<NotifyArgs>): Promise<Card> {
  const session = await deps.accounts.session(ctx.args.account);
  const user = ctx.args.user;
  const listId = ctx.args.list;
  const stored = listId ? await deps.lists.load(listId) : undefined;
  const finding = stored?.result.findings.find((candidate) => candidate.user === user) ?? {
    user,
    arn: '',
    root: false,
  };
  return withAwsErrors(session.name, async () => {
    const { who, cooldown, notify, notifyLine } = await notifier(deps, ctx, session);
    const outcome = await notify(finding);
    const line = notifyLine(user, outcome, who, cooldown);
    const record =
      listId &&
      (await deps.lists.update(listId, (current) => {
        const note = noteFor(outcome, who);
        if (note) current.notes[user] = note;
        current.log.push(line);
      }));
    if (record && listId) return render(deps, listId, record);
    return { status: outcome.status === 'sent' ? 'ok' : 'warn', text: line };
  });
}

async function notifyAll(deps: IamDeps, ctx: Context<NotifyAllArgs>): Promise<Card> {
  const listId = ctx.args.list;
  const stored = await deps.lists.load(listId);
  if (!stored) throw new UserFacingError(EXPIRED);
  const session = await deps.accounts.session(stored.result.accountName);
  const targets = notifiable(stored);
  return withAwsErrors(session.name, async () => {
    const { who, cooldown, notify, notifyLine } = await notifier(deps, ctx, session);
    const outcomes = await mapLimit(targets, deps.config.iam.concurrency, notify, ctx.signal);
    const record = await deps.lists.update(listId, (current) => {
      const sent = outcomes.filter((outcome) => outcome.status === 'sent').length;
      current.log.push(`${plural(sent, 'user')} notified by ${who}`);
      targets.forEach((finding, index) => {
        const outcome = outcomes[index]!;
        const note = noteFor(outcome, who);
        if (note) current.notes[finding.user] = note;
        if (outcome.status !== 'sent') current.log.push(notifyLine(finding.user, outcome, who, cooldown));
      });
    });
    if (!record) throw new UserFacingError(EXPIRED);
    return render(deps, listId, record);
  });
}

/** `aws iam no-mfa` and the Notify buttons. */
export function registerIam(deps: IamDeps): void {
  deps.bot.command({
    name: 'aws iam no-mfa',
    options: {
      'console-only': { type: 'boolean', description: 'only users with a console password' },
      account: { type: 'string', description: 'configured account name' },
    },
    effect: 'read',
    permission: 'aws.iam.no-mfa',
    summary: 'List IAM users without MFA (console password, last use, age), with buttons to notify them',
    examples: ['aws iam no-mfa', 'aws iam no-mfa --console-only --account prod'],
    run: async (ctx) => {
      const session = await deps.accounts.session(ctx.args.account);
      return withAwsErrors(session.name, async () => {
        const { card } = await listAndStore(deps, session, ctx.args['console-only'], ctx.signal);
        return card;
      });
    },
  });
  deps.bot.action<NotifyArgs>(NOTIFY_ACTION, {
    effect: 'write',
    permission: NOTIFY_ACTION,
    run: (ctx) => notifyOne(deps, ctx),
  });
  deps.bot.action<NotifyAllArgs>(NOTIFY_ALL_ACTION, {
    effect: 'write',
    permission: NOTIFY_ALL_ACTION,
    run: (ctx) => notifyAll(deps, ctx),
  });
}
