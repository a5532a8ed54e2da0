import type { Card, CardAction } from '@chatops/core';
import { ageInDays, count, day, minute, plural, tableWithFile } from '../format.js';
import type { MfaFinding, NoMfaResult } from './no-mfa.js';

/** A stored no-MFA listing and what was done since. */
export interface NoMfaRecord {
  result: NoMfaResult;
  /** User → what happened since (`notified by @bob`); users with a note get no Notify button. */
  notes: Record<string, string>;
  log: string[];
}

export interface NoMfaCardOptions {
  tableRows: number;
  buttons: number;
  now: number;
}

export const NOTIFY_ACTION = 'aws.iam.notify';
export const NOTIFY_ALL_ACTION = 'aws.iam.notify-all';

/** What a Notify button carries. */
export type NotifyArgs = { list: string; account: string; user: string };
/** What the "Notify all" button carries. */
export type NotifyAllArgs = { list: string; account: string };

function consoleCell(finding: MfaFinding): string {
  if (finding.console === undefined) return '?';
  return finding.console ? 'yes' : 'no';
}

function lastUsedCell(finding: MfaFinding): string {
  if (!finding.passwordLastUsed) return '-';
  return finding.passwordLastUsed === 'never' ? 'never' : day(finding.passwordLastUsed);
}

function summary(users: number, consoleUsers: number, total: number, consoleOnly: boolean): string {
  const of = `${count(users)} of ${plural(total, 'user')}`;
  const verb = users === 1 ? 'has' : 'have';
  if (consoleOnly) {
    return users
      ? `${of} ${verb} a console password and no MFA.`
      : 'Every user with a console password has MFA.';
  }
  return users
    ? `${of} ${verb} no MFA (${count(consoleUsers)} can sign in to the console).`
    : 'Every user has MFA.';
}

/** Users that may get a Notify button: not root, not notified yet. */
export function notifiable(record: NoMfaRecord): MfaFinding[] {
  return record.result.findings.filter((finding) => !finding.root && !record.notes[finding.user]);
}

/** The listing card: table of users without MFA, Notify buttons, and what was done. */
export function noMfaCard(id: string, record: NoMfaRecord, options: NoMfaCardOptions): Card {
  const { result } = record;
  const consoleUsers = result.findings.filter((finding) => finding.console === true && !finding.root).length;
  const users = result.findings.filter((finding) => !finding.root).length;
  const root = result.findings.some((finding) => finding.root);
  const lines = [summary(users, consoleUsers, result.totalUsers, result.consoleOnly)];
  if (root) lines.push('The root account has no MFA: secure it first.');
  if (result.fallbackReason) lines.push(`Checked user by user: ${result.fallbackReason}`);
  const rows = result.findings.map((finding) => [
    finding.root ? 'root account' : finding.user,
    consoleCell(finding),
    lastUsedCell(finding),
    finding.createdAt ? ageInDays(finding.createdAt, options.now) : '-',
    record.notes[finding.user] ?? finding.unknown ?? '',
  ]);
  const { note, ...tableParts } = tableWithFile(
    ['User', 'Console password', 'Password last used', 'Age', 'Note'],
    rows,
    options.tableRows,
    `users-without-mfa-${result.accountName}.csv`,
  );
  const open = notifiable(record);
  const actions: CardAction[] = open.slice(0, options.buttons).map((finding) => ({
    label: `Notify ${finding.user}`,
    action: NOTIFY_ACTION,
    args: { list: id, account: result.accountName, user: finding.user } satisfies NotifyArgs,
    style: 'primary',
  }));
  if (open.length > 1) {
    actions.push({
      label: `Notify all (${count(open.length)})`,
      action: NOTIFY_ALL_ACTION,
      args: { list: id, account: result.accountName } satisfies NotifyAllArgs,
      style: 'primary',
      confirm: {
        title: 'Notify every user listed?',
        text: `Asks ${plural(open.length, 'user')} to turn on MFA.`,
      },
    });
  }
  const source =
    result.source === 'report' && result.reportGeneratedAt
      ? `From the credential report of ${minute(result.reportGeneratedAt)} (IAM refreshes it at most every 4 hours).`
      : `Checked ${minute(result.checkedAt)} with live IAM calls.`;
  const card: Card = {
    title: `IAM users without MFA · ${result.accountName} (${result.accountId})`,
    status: root || consoleUsers ? 'danger' : users ? 'warn' : 'ok',
    text: [...lines, ...record.log].join('\n'),
    ...tableParts,
    footer: note ? `${note} ${source}` : source,
  };
  if (actions.length) card.actions = actions;
  return card;
}
