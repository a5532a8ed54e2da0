import type { Logger } from 'pino';
import type { Incoming, MessageRef } from '../chat/incoming.js';
import type { Principal } from '../chat/principal.js';
import type { Delivery } from '../delivery/delivery.js';
import type { Policy } from '../security/policy.js';
import type { ApprovedBy, Context, Invocation } from './context.js';
import type { DispatchResult } from './outcome.js';

/** Creates the Context handed to middleware and handlers. */
export function createRequestContext(options: {
  delivery: Pick<Delivery, 'post' | 'update'>;
  policy: Pick<Policy, 'decide'>;
  /** Runs `ctx.execute` for this context. */
  execute(commandLine: string, ctx: Context): Promise<DispatchResult>;
  id: string;
  approvedBy?: ApprovedBy;
  incoming: Incoming;
  invocation: Invocation;
  user: Principal;
  /** Correlation id of the request whose `execute` started this one. */
  parent?: string;
  log: Logger;
  signal: AbortSignal;
}): Context {
  const { delivery, incoming } = options;
  let progressRef: MessageRef | undefined;
  let progressPosting: Promise<MessageRef | undefined> | undefined;
  const ctx: Context = {
    id: options.id,
    ...(options.parent ? { parent: options.parent } : {}),
    ...(options.approvedBy ? { approvedBy: Object.freeze({ ...options.approvedBy }) } : {}),
    incoming,
    platform: incoming.platform,
    user: freezePrincipal(options.user),
    conversation: incoming.conversation,
    invocation: options.invocation,
    // Authorization may replace the arguments with the spelling its rule allows.
    get args() {
      return options.invocation.args;
    },
    message: incoming.type === 'action' ? incoming.message : undefined,
    state: {},
    log: options.log,
    signal: options.signal,
    reply: (reply) => delivery.post(incoming.conversation, reply, { replyTo: incoming }),
    replyPrivately: (reply) =>
      delivery.post(incoming.conversation, reply, { replyTo: incoming, privateTo: ctx.user }),
    send: (conversation, reply) => delivery.post(conversation, reply, {}),
    update: (ref, reply) => delivery.update(ref, reply),
    progress: async (reply) => {
      if (progressPosting) progressRef = await progressPosting;
      if (progressRef) {
        await delivery.update(progressRef, reply);
        return progressRef;
      }
      progressPosting = delivery.post(incoming.conversation, reply, { replyTo: incoming });
      progressRef = await progressPosting;
      return progressRef;
    },
    execute: (commandLine) => options.execute(commandLine, ctx),
    can: (permission, check = {}) => {
      const invocation = { permission, effect: check.effect ?? 'write', args: check.args ?? {} } as const;
      const decision = options.policy.decide(ctx.user, invocation, incoming.conversation);
      return decision.allowed && decision.approval === undefined;
    },
  };
  // Nothing on the context can be replaced (its `state` stays the plugins' writable scratch space).
  return Object.freeze(ctx);
}

/** A principal no handler can change (its roles included). */
function freezePrincipal(principal: Principal): Principal {
  if (Object.isFrozen(principal) && Object.isFrozen(principal.roles)) return principal;
  return Object.freeze({ ...principal, roles: Object.freeze([...principal.roles]) });
}

/**
 * Freezes what an adapter handed in (the incoming, its user, conversation and message reference) in
 * place, so a handler cannot change who or where a nested `execute` runs. In place, because adapters
 * recognize their own incoming by identity when a reply comes back.
 */
export function freezeIncoming(incoming: Incoming): Incoming {
  Object.freeze(incoming.user);
  Object.freeze(incoming.conversation);
  if (incoming.type === 'action' && incoming.message) Object.freeze(incoming.message);
  return Object.freeze(incoming);
}
