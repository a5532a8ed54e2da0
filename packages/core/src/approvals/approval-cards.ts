import { redactArgs, redactText } from '../audit/redact.js';
import type { Card } from '../chat/card.js';
import { formatDuration } from '../shared/duration.js';
import type { ApprovalRequest } from './approval-request.js';

/** What is being asked, in one line, with secrets redacted (the card is shown to the whole channel). */
export function describeInvocation(request: Pick<ApprovalRequest, 'invocation'>): string {
  const { invocation } = request;
  if (invocation.kind !== 'action') return redactText(invocation.text);
  const args = Object.entries(redactArgs({ ...invocation.args }))
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join(',') : String(value)}`)
    .join(' ');
  return args ? `${invocation.name} ${args}` : invocation.name;
}

/** The card that asks approvers. */
export function approvalCard(request: ApprovalRequest, now: number): Card {
  const left = formatDuration(Math.max(0, request.expiresAt - now));
  return {
    title: 'Approval needed',
    status: 'warn',
    text: `${request.requester.name} wants to run: ${describeInvocation(request)}`,
    fields: [
      { label: 'Requested by', value: `${request.requester.name} (${request.requester.key})`, short: true },
      { label: 'Approvers', value: `${request.count} of role ${request.roles.join(' or ')}`, short: true },
      { label: 'Expires in', value: left, short: true },
      { label: 'Request', value: request.id, short: true },
    ],
    actions: [
      {
        label: 'Approve',
        action: 'core.approval.approve',
        args: { request: request.id },
        style: 'primary',
        confirm: false,
      },
      {
        label: 'Deny',
        action: 'core.approval.deny',
        args: { request: request.id },
        style: 'danger',
        confirm: false,
      },
    ],
  };
}

/** The title of a closed request's card, by how it ended. */
function closedTitle(request: ApprovalRequest): string {
  switch (request.state) {
    case 'approved':
      return 'Approval granted';
    case 'rejected':
      return request.closedBy === request.requester.key ? 'Request withdrawn' : 'Approval denied';
    case 'expired':
      return 'Approval request expired';
    default:
      return 'Approval needed';
  }
}

/** The card that replaces the request once it is closed. */
export function closedApprovalCard(request: ApprovalRequest, text: string): Card {
  return {
    title: closedTitle(request),
    status: request.state === 'approved' ? 'ok' : request.state === 'expired' ? 'info' : 'danger',
    text: `${request.requester.name} wanted to run: ${describeInvocation(request)}\n${text}`,
  };
}
