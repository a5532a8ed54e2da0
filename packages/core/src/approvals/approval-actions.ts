import type { ActionSpec } from '../plugins/plugin.js';
import type { Approvals } from './approvals.js';

/** The Approve and Deny buttons of approval cards. Who may press them is checked per request. */
export function approvalActions(approvals: Approvals): Record<string, ActionSpec> {
  return {
    'core.approval.approve': {
      effect: 'read',
      run: (ctx) => approvals.approve(ctx, String(ctx.args['request'])),
    },
    'core.approval.deny': {
      effect: 'read',
      run: (ctx) => approvals.deny(ctx, String(ctx.args['request'])),
    },
  };
}
