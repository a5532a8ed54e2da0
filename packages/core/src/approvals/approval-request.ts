import type { Incoming, MessageRef } from '../chat/incoming.js';
import type { Principal } from '../chat/principal.js';
import type { Invocation } from '../pipeline/context.js';

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

/** The principal already has as many pending requests as allowed. */
export class ApprovalLimitError extends Error {
  constructor(readonly limit: number) {
    super(`you already have ${limit} approval requests waiting; wait for them to be decided or to expire`);
    this.name = 'ApprovalLimitError';
  }
}
