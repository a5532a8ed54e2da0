import { type Bot, type Card, UserFacingError } from '@chatops/core';
import type { Accounts } from './accounts.js';
import { describeAwsError } from './aws-errors.js';
import { mapLimit } from './concurrency.js';

/** `aws whoami`: the identity (STS GetCallerIdentity) of each configured account. */
export function registerWhoami(bot: Bot, accounts: Accounts): void {
  bot.command({
    name: 'aws whoami',
    options: { account: { type: 'string', description: 'only this configured account' } },
    effect: 'read',
    permission: 'aws.whoami',
    summary: 'Show the AWS identity the bot uses in each configured account',
    run: async (ctx): Promise<Card> => {
      const only = ctx.args.account;
      const sessions = only ? [await accounts.session(only)] : await accounts.all();
      const rows = await mapLimit(sessions, 4, async (session) => {
        const via = session.account.roleArn ? `role ${session.account.roleArn}` : 'default credentials';
        try {
          const identity = await session.identity();
          return { ok: true, row: [session.name, identity.accountId, identity.arn, via] };
        } catch (error) {
          return { ok: false, row: [session.name, '-', describeAwsError(error, session.name), via] };
        }
      });
      if (rows.length === 1 && !rows[0]?.ok)
        throw new UserFacingError(rows[0]?.row[2] ?? 'AWS identity unknown');
      const failed = rows.filter((entry) => !entry.ok).length;
      return {
        title: 'AWS identities',
        status: failed === 0 ? 'ok' : failed === rows.length ? 'danger' : 'warn',
        table: {
          columns: ['Account', 'Account id', 'Identity', 'Via'],
          rows: rows.map((entry) => entry.row),
        },
      };
    },
  });
}
