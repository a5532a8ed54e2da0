import { randomBytes } from 'node:crypto';
import { redactArgs, redactText } from '../audit/redact.js';
import type { Card } from '../card.js';
import type { Context, Invocation } from '../context.js';
import { formatDuration } from '../duration.js';
import type { Incoming, MessageRef } from '../incoming.js';
import { processMetrics } from '../metrics.js';
import type { Principal } from '../principal.js';
import type { ApprovalRequirement } from './policy.js';

/** A request waiting for approvers, kept in the store so restarts lose nothing. */
export interface ApprovalRequest {
  id: string;
  state: 'pending' | 'approved' | 'rejected' | 'expired';
  requester: Principal;
  incoming: Incoming;
  invocation: Pick<Invocation, 'kind' | 'name' | 'args' | 'text' | 'permission' | 'effect'>;
  roles: string[];
  count: number;
  approvals: { key: string; name: string; email?: string }[];
  createdAt: number;
  expiresAt: number;
  card?: MessageRef;
  closedBy?: string;
}

const PREFIX = 'chatops:approval:';
const CLOSED_PREFIX = 'chatops:approval-closed:';
const KEEP_AFTER_CLOSE_MS = 7 * 24 * 60 * 60 * 1000;

/** Store-backed approval requests. */
export class ApprovalStore {
  constructor(
    private readonly store: {
      get<T>(key: string): Promise<T | undefined>;
      set(key: string, value: unknown, options?: { ttlMs?: number }): Promise<void>;
      setIfAbsent(key: string, value: unknown, options?: { ttlMs?: number }): Promise<boolean>;
      keys(prefix: string): Promise<string[]>;
    },
    private readonly now: () => number,
  ) {}

  async create(ctx: Context, requirement: ApprovalRequirement): Promise<ApprovalRequest> {
    const ttl = requirement.ttl;
    const { raw: _raw, ...incoming } = ctx.incoming;
    const request: ApprovalRequest = {
      id: randomBytes(6).toString('base64url'),
      state: 'pending',
      requester: ctx.user,
      incoming: incoming as Incoming,
      invocation: {
        kind: ctx.invocation.kind,
        name: ctx.invocation.name,
        args: ctx.invocation.args,
        text: ctx.invocation.text,
        permission: ctx.invocation.permission,
        effect: ctx.invocation.effect,
      },
      roles: requirement.roles,
      count: requirement.count,
      approvals: [],
      createdAt: this.now(),
      expiresAt: this.now() + ttl,
    };
    await this.save(request);
    processMetrics.approvals.inc({ state: 'requested' });
    return request;
  }

  get(id: string): Promise<ApprovalRequest | undefined> {
    return this.store.get<ApprovalRequest>(PREFIX + id);
  }

  async save(request: ApprovalRequest): Promise<void> {
    if (request.state !== 'pending') processMetrics.approvals.inc({ state: request.state });
    const keep = request.expiresAt - this.now() + KEEP_AFTER_CLOSE_MS;
    await this.store.set(PREFIX + request.id, request, { ttlMs: Math.max(keep, 1000) });
  }

  /**
   * Claims the right to close a request (run, deny or expire it), once: concurrent clicks read the same
   * pending state, and only the one that wins this atomic claim may act on it.
   */
  claimClose(request: ApprovalRequest, by: string): Promise<boolean> {
    const keep = request.expiresAt - this.now() + KEEP_AFTER_CLOSE_MS;
    return this.store.setIfAbsent(`${CLOSED_PREFIX}${request.id}`, by, { ttlMs: Math.max(keep, 1000) });
  }

  async pending(): Promise<ApprovalRequest[]> {
    const requests = await Promise.all(
      (await this.store.keys(PREFIX)).map((key) => this.store.get<ApprovalRequest>(key)),
    );
    return requests.filter((request): request is ApprovalRequest => request?.state === 'pending');
  }
}

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
