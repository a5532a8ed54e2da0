import { randomBytes } from 'node:crypto';
import { redactArgs, redactText } from '../audit/redact.js';
import type { Card } from '../chat/card.js';
import type { Incoming, MessageRef } from '../chat/incoming.js';
import type { Principal } from '../chat/principal.js';
import type { Context, Invocation } from '../pipeline/context.js';
import { processMetrics } from '../runtime/metrics.js';
import type { ApprovalRequirement } from '../security/policy.js';
import { formatDuration } from '../shared/duration.js';
import type { Store } from '../store/store.js';

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
  /** Which of the requester's pending slots the request holds while pending. */
  slot?: number;
}

const PREFIX = 'chatops:approval:';
const SLOT_PREFIX = 'chatops:approval-slot:';
const KEEP_AFTER_CLOSE_MS = 7 * 24 * 60 * 60 * 1000;
/** A slot outlives its request's expiry by this much, so the expiry job still finds the request. */
const SLOT_GRACE_MS = 24 * 60 * 60 * 1000;
/** Concurrent changes to one request retry their compare-and-set at most this often. */
const MAX_ATTEMPTS = 20;

/** The principal already has as many pending requests as allowed. */
export class ApprovalLimitError extends Error {
  constructor(readonly limit: number) {
    super(`you already have ${limit} approval requests waiting; wait for them to be decided or to expire`);
    this.name = 'ApprovalLimitError';
  }
}

/** The store the requests live in (any {@link Store}). */
type ApprovalBackend = Pick<
  Store,
  'get' | 'set' | 'setIfAbsent' | 'compareAndSet' | 'deleteIfEquals' | 'keys'
>;

/**
 * Store-backed approval requests. Each change is a compare-and-set on the request, so two approvers
 * (on one replica or two) never lose each other's approval, and a request leaves `pending` once.
 * Each pending request holds one of its requester's slots (`maxPending` per principal); the slots
 * are also the index of pending requests, so listing them does not read closed ones.
 */
export class ApprovalStore {
  constructor(
    private readonly store: ApprovalBackend,
    private readonly now: () => number,
    private readonly maxPending = 20,
  ) {}

  /**
   * Creates and saves a pending request.
   *
   * @throws ApprovalLimitError when the requester has `maxPending` requests waiting already.
   */
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
    request.slot = await this.claimSlot(request, ttl + SLOT_GRACE_MS);
    await this.store.set(PREFIX + request.id, request, { ttlMs: this.keepMs(request) });
    processMetrics.approvals.inc({ state: 'requested' });
    return request;
  }

  get(id: string): Promise<ApprovalRequest | undefined> {
    return this.store.get<ApprovalRequest>(PREFIX + id);
  }

  /**
   * Changes a request atomically: `change` gets the current request (a copy) and returns the new
   * one, or undefined to leave it alone; when someone else changed it meanwhile, `change` runs again
   * on the fresh one. Errors thrown by `change` propagate. A request that leaves `pending` gives
   * its slot back.
   *
   * @returns the request before and after the change that was stored, or undefined when the request
   *   is gone or `change` declined.
   */
  async update(
    id: string,
    change: (request: ApprovalRequest) => ApprovalRequest | undefined,
  ): Promise<{ before: ApprovalRequest; after: ApprovalRequest } | undefined> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const before = await this.get(id);
      if (!before) return undefined;
      const after = change(structuredClone(before));
      if (!after) return undefined;
      if (await this.store.compareAndSet(PREFIX + id, before, after, { ttlMs: this.keepMs(after) })) {
        if (before.state === 'pending' && after.state !== 'pending') {
          processMetrics.approvals.inc({ state: after.state });
          await this.releaseSlot(after);
        }
        return { before, after };
      }
    }
    throw new Error(`approval request ${id} changed too often concurrently; try again`);
  }

  /** Requests still pending (found through the requesters' slots). */
  async pending(): Promise<ApprovalRequest[]> {
    const ids = await Promise.all(
      (await this.store.keys(SLOT_PREFIX)).map((key) => this.store.get<string>(key)),
    );
    const requests = await Promise.all(ids.map((id) => (id ? this.get(id) : undefined)));
    return requests.filter((request): request is ApprovalRequest => request?.state === 'pending');
  }

  private keepMs(request: ApprovalRequest): number {
    return Math.max(request.expiresAt - this.now() + KEEP_AFTER_CLOSE_MS, 1000);
  }

  private slotPrefix(requester: Principal): string {
    return `${SLOT_PREFIX}${Buffer.from(requester.key).toString('base64url')}:`;
  }

  /** Takes the first free slot of the requester with an atomic set-if-absent. */
  private async claimSlot(request: ApprovalRequest, ttlMs: number): Promise<number> {
    const prefix = this.slotPrefix(request.requester);
    const taken = new Set(await this.store.keys(prefix));
    for (let slot = 0; slot < this.maxPending; slot++) {
      if (taken.has(prefix + slot)) continue;
      if (await this.store.setIfAbsent(prefix + slot, request.id, { ttlMs })) return slot;
    }
    throw new ApprovalLimitError(this.maxPending);
  }

  private async releaseSlot(request: ApprovalRequest): Promise<void> {
    if (request.slot === undefined) return;
    await this.store.deleteIfEquals(this.slotPrefix(request.requester) + request.slot, request.id);
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
