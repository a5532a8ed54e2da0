import { randomBytes } from 'node:crypto';
import type { Incoming } from '../chat/incoming.js';
import type { Principal } from '../chat/principal.js';
import type { Invocation } from '../pipeline/context.js';
import { processMetrics } from '../runtime/metrics.js';
import type { ApprovalRequirement } from '../security/policy.js';
import type { Store } from '../store/store.js';
import { ApprovalLimitError, type ApprovalRequest } from './approval-request.js';

/** Every store key of approvals starts with one of these. */
const REQUEST_PREFIX = 'chatops:approval:';
const SLOT_PREFIX = 'chatops:approval-slot:';
const KEEP_AFTER_CLOSE_MS = 7 * 24 * 60 * 60 * 1000;
/** A slot outlives its request's expiry by this much, so the expiry job still finds the request. */
const SLOT_GRACE_MS = 24 * 60 * 60 * 1000;
/** Concurrent changes to one request retry their compare-and-set at most this often. */
const MAX_ATTEMPTS = 20;

/** What is asked for: who, from where, to run what. */
export interface ApprovalSubject {
  user: Principal;
  incoming: Incoming;
  invocation: Invocation;
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
  async create(subject: ApprovalSubject, requirement: ApprovalRequirement): Promise<ApprovalRequest> {
    const ttl = requirement.ttl;
    const { raw: _raw, ...incoming } = subject.incoming;
    const request: ApprovalRequest = {
      id: randomBytes(6).toString('base64url'),
      state: 'pending',
      requester: subject.user,
      incoming: incoming as Incoming,
      invocation: {
        kind: subject.invocation.kind,
        name: subject.invocation.name,
        args: subject.invocation.args,
        text: subject.invocation.text,
        permission: subject.invocation.permission,
        effect: subject.invocation.effect,
      },
      roles: requirement.roles,
      count: requirement.count,
      approvals: [],
      createdAt: this.now(),
      expiresAt: this.now() + ttl,
    };
    request.slot = await this.claimSlot(request, ttl + SLOT_GRACE_MS);
    await this.store.set(REQUEST_PREFIX + request.id, request, { ttlMs: this.keepMs(request) });
    processMetrics.approvals.inc({ state: 'requested' });
    return request;
  }

  get(id: string): Promise<ApprovalRequest | undefined> {
    return this.store.get<ApprovalRequest>(REQUEST_PREFIX + id);
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
      if (await this.store.compareAndSet(REQUEST_PREFIX + id, before, after, { ttlMs: this.keepMs(after) })) {
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
