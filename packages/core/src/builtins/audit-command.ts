import { formatAuditRecord, readAuditTail } from '../audit/tail.js';
import type { CommandSpec } from '../plugins/plugin.js';
import { UserFacingError } from '../plugins/plugin.js';

/**
 * `audit [--user U] [-n N]`: recent audit entries, answered privately. Permission `core.audit.read`,
 * which only a rule grants (whatever `auth.defaults` say).
 */
export function auditCommand(auditPath: string | undefined): CommandSpec {
  return {
    name: 'audit',
    effect: 'read',
    permission: 'core.audit.read',
    summary: 'Show recent audit log entries',
    options: {
      n: { type: 'number', default: 10, description: 'how many entries' },
      user: { type: 'string', description: 'only this principal (key or name)' },
    },
    examples: ['audit', 'audit -n 20 --user alice'],
    run: async (ctx) => {
      if (auditPath === undefined)
        throw new UserFacingError('The audit log is turned off in this configuration.');
      const count = Math.min(Math.max(1, Number(ctx.args['n'])), 100);
      const user = ctx.args['user'] as string | undefined;
      const records = await readAuditTail(auditPath, { n: count, ...(user ? { user } : {}) });
      await ctx.replyPrivately(
        records.length === 0
          ? 'No audit entries yet.'
          : {
              title: `Last ${records.length} audit entries`,
              code: records.map(formatAuditRecord).join('\n'),
            },
      );
    },
  };
}
