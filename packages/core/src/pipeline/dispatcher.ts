import type { Logger } from 'pino';
import type { ActionTokens } from '../actions/action-token.js';
import { describeRejection } from '../actions/action-token.js';
import type { ApprovalRequest } from '../approvals/approval-request.js';
import { replayTarget } from '../approvals/replay-target.js';
import { resultCard } from '../chat/card.js';
import type { Incoming, IncomingAction, IncomingMessage } from '../chat/incoming.js';
import { chatUser, type Principal } from '../chat/principal.js';
import { withClickOutcome } from '../delivery/click-outcome.js';
import type { Delivery } from '../delivery/delivery.js';
import type { Handler } from '../plugins/plugin.js';
import { AccessDeniedError, UsageError, UserFacingError } from '../plugins/plugin.js';
import type { Router } from '../router/router.js';
import { usageLine } from '../router/usage.js';
import { lazyChild } from '../runtime/lazy-logger.js';
import type { Metrics } from '../runtime/metrics.js';
import { setSpanAttributes, traceLogFields, withSpan } from '../runtime/tracing.js';
import type { Auditor } from '../security/auditor.js';
import { basePrincipal, type Identity } from '../security/identity.js';
import type { Policy } from '../security/policy.js';
import { formatDuration } from '../shared/duration.js';
import { withTimeout } from '../shared/with-timeout.js';
import { type Store, StoreUnavailableError } from '../store/store.js';
import { createAddressing } from './addressing.js';
import type { ApprovedBy, Context, HandlerResult, Invocation, Middleware } from './context.js';
import { newCorrelationId } from './correlation-id.js';
import type { DispatchResult } from './outcome.js';
import {
  type ButtonClick,
  newPipelineRequest,
  type PipelineRequest,
  type Unroutable,
} from './pipeline-request.js';
import { createRequestContext, freezeIncoming } from './request-context.js';
import { runPipeline, type Step } from './step.js';
import { approvalDetails } from './steps/audit.js';

/** How long a delivery id is remembered (Slack retries within minutes). */
export const EVENT_TTL_MS = 60 * 60 * 1000;
const UNAVAILABLE_REPLY = 'State store unavailable, try again.';

/** Takes chat messages into the replicas' shared stream, where one replica handles each. */
export interface EventIntake {
  /** False when the event was taken before (a duplicate delivery). */
  enqueue(incoming: Incoming & { eventId: string }): Promise<boolean>;
}

/** Admits work while the robot runs and counts it as in flight, so shutdown can wait for it. */
export interface WorkGate {
  readonly running: boolean;
  readonly shutdownSignal: AbortSignal;
  track<T>(work: Promise<T>): Promise<T>;
}

/** What the dispatcher is built from. */
export interface DispatcherDeps {
  /** The robot's name and command prefix, for addressing. */
  name: string;
  prefix: string | undefined;
  allowBots: boolean;
  /** How long a handler may run. */
  timeoutMs: number;
  log: Logger;
  router: Router;
  tokens: Pick<ActionTokens, 'verify'>;
  identity: Pick<Identity, 'resolve' | 'refresh'>;
  policy: Pick<Policy, 'decide'>;
  auditor: Pick<Auditor, 'decision' | 'refusedToken'>;
  delivery: Pick<Delivery, 'post' | 'update' | 'updateSigned' | 'postedCard'>;
  store: Pick<Store, 'setIfAbsent'>;
  metrics: Pick<Metrics, 'handled' | 'handlerDuration'>;
  /** The built-in steps, in order (see `builtInSteps`). */
  steps: readonly Step[];
  /** The plugins' middleware, in load order (the array grows as plugins load). */
  middleware: readonly Middleware[];
  /** The replicas' event stream, when there is one (on Redis). */
  intake: EventIntake | undefined;
  gate: WorkGate;
}

/** A nested run: `ctx.execute` of the request `parent`, as `user` (whose roles are resolved again). */
interface NestedRun {
  user: Principal;
  parent: string;
  /** The click that led to the calling request, when it was a button. */
  button?: ButtonClick;
}

/** What every run of one dispatch shares. */
interface RequestStart {
  correlationId: string;
  log: Logger;
  nested?: NestedRun;
}

/** What is already known about a request before its pipeline: the click, the unroutable line, who approved it. */
type Known = Parameters<typeof newPipelineRequest>[0] & { approvedBy?: ApprovedBy };

/**
 * Turns incoming messages and clicks into invocations and runs each through the pipeline: identify,
 * the built-in steps, the plugins' middleware, then the handler with a timeout and error containment.
 */
export class Dispatcher {
  private readonly address: ReturnType<typeof createAddressing>;

  constructor(private readonly deps: DispatcherDeps) {
    this.address = createAddressing(deps.name, deps.prefix);
  }

  /**
   * Handles one message or click while the robot runs (never throws): one trace (when tracing)
   * covering the pipeline and the handler. With a stream, chat messages are handed to it instead of
   * run here.
   */
  receive(incoming: Incoming): Promise<DispatchResult> {
    return this.admit(incoming, undefined);
  }

  /**
   * Handles an event taken from the replicas' shared stream: its delivery id is claimed already. It
   * runs even while the robot stops, since it was read before the stream stopped and is acknowledged
   * only once handled.
   */
  handleQueued(incoming: Incoming): Promise<DispatchResult> {
    return this.admit(incoming, undefined, true);
  }

  /**
   * Runs an approved request as its requester (identified again from the stored incoming, so a revoked
   * role stops it), with the approver recorded, against what is registered now: a command, listener or
   * action since removed does not run.
   */
  runApproved(request: ApprovalRequest, approver: ApprovedBy): Promise<DispatchResult> {
    const correlationId = newCorrelationId();
    const target = replayTarget(this.deps.router, request);
    if (!target) {
      const message = `"${request.invocation.name}" no longer exists`;
      return Promise.resolve({ status: 'unknown', correlationId, message });
    }
    const log = lazyChild(this.deps.log, { cid: correlationId, approval: request.id, ...traceLogFields() });
    return this.deps.gate.track(
      this.run(
        request.incoming,
        target.invocation,
        target.handler,
        { correlationId, log },
        { approvedBy: approver },
      ),
    );
  }

  private admit(
    incoming: Incoming,
    nested: NestedRun | undefined,
    fromStream = false,
  ): Promise<DispatchResult> {
    if (!this.deps.gate.running && !fromStream) {
      return Promise.resolve(ignored('-', 'the robot is not running'));
    }
    const correlationId = newCorrelationId();
    const run = withSpan(
      `chatops ${incoming.type}`,
      { 'chatops.correlation_id': correlationId, 'chatops.platform': incoming.platform },
      async (span) => {
        const result = await this.dispatch(incoming, nested, fromStream, correlationId);
        span?.setAttribute('chatops.status', result.status);
        return result;
      },
    );
    // The stream tracks what it hands over, through to its acknowledgement.
    return fromStream ? run : this.deps.gate.track(run);
  }

  private async dispatch(
    incoming: Incoming,
    nested: NestedRun | undefined,
    fromStream: boolean,
    correlationId: string,
  ): Promise<DispatchResult> {
    const log = lazyChild(this.deps.log, { cid: correlationId, ...traceLogFields() });
    try {
      if (incoming.user.isBot && !this.deps.allowBots) return ignored(correlationId, 'message from a bot');
      // An entry of the stream had its delivery id claimed when it went in.
      if (incoming.eventId && !fromStream) {
        const { intake } = this.deps;
        if (intake && !nested && incoming.type === 'message') {
          if (await intake.enqueue({ ...incoming, eventId: incoming.eventId }))
            return { status: 'queued', correlationId };
          return ignored(correlationId, 'duplicate delivery');
        }
        if (!(await this.firstDelivery(incoming))) {
          log.debug({ eventId: incoming.eventId }, 'duplicate delivery dropped');
          return ignored(correlationId, 'duplicate delivery');
        }
      }
      const start = { correlationId, log, ...(nested ? { nested } : {}) };
      return incoming.type === 'action'
        ? await this.dispatchAction(incoming, start)
        : await this.dispatchMessage(incoming, start);
    } catch (error) {
      if (error instanceof StoreUnavailableError) return this.refuseUnavailable(incoming, correlationId, log);
      log.error({ err: error }, 'dispatch failed');
      return { status: 'error', correlationId, message: (error as Error).message };
    }
  }

  /** Fails closed while the store is unreachable: nothing runs; the user is told when it was for the bot. */
  private async refuseUnavailable(
    incoming: Incoming,
    correlationId: string,
    log: Logger,
  ): Promise<DispatchResult> {
    log.warn({ eventId: incoming.eventId }, 'refused: state store unavailable');
    const forTheBot = incoming.type === 'action' || this.address(incoming.text, incoming.addressed).addressed;
    if (forTheBot) {
      const user = basePrincipal(incoming.platform, incoming.user);
      await this.deps.delivery
        .post(
          incoming.conversation,
          { text: UNAVAILABLE_REPLY, status: 'danger' },
          { replyTo: incoming, privateTo: user },
        )
        .catch((error: unknown) => log.warn({ err: error }, 'could not say the state store is unavailable'));
    }
    return { status: 'error', correlationId, message: 'state store unavailable' };
  }

  private async dispatchMessage(incoming: IncomingMessage, start: RequestStart): Promise<DispatchResult> {
    const { addressed, text } = this.address(incoming.text, incoming.addressed);
    if (addressed && text === '') return this.runUnroutable(incoming, start, { type: 'greeting' }, text);
    const route = this.deps.router.resolve(text, addressed, incoming);
    switch (route.type) {
      case 'none':
        return ignored(start.correlationId, 'not for the bot');
      case 'unknown':
        return this.runUnroutable(incoming, start, { type: 'unknown', word: firstWord(text) }, text);
      case 'usage':
        return this.runUnroutable(
          incoming,
          start,
          { type: 'usage', command: route.command, error: route.error },
          text,
        );
      case 'command':
        return this.run(incoming, route.invocation, route.command.spec.run, start);
      case 'listeners': {
        let result: DispatchResult = { status: 'ok', correlationId: start.correlationId };
        for (const { listener, invocation } of route.matches) {
          const outcome = await this.run(incoming, invocation, listener.run, start);
          if (outcome.status !== 'ok') result = outcome;
        }
        return result;
      }
    }
  }

  /** An addressed line that runs no handler still goes through identify, rate limit and audit. */
  private runUnroutable(
    incoming: IncomingMessage,
    start: RequestStart,
    line: Unroutable,
    text: string,
  ): Promise<DispatchResult> {
    const name = line.type === 'usage' ? line.command.path : line.type;
    const invocation: Invocation = {
      kind: 'command',
      name,
      plugin: line.type === 'usage' ? line.command.plugin : 'core',
      permission: line.type === 'usage' ? line.command.permission({}) : `core.${line.type}`,
      effect: 'read',
      args: {},
      text,
    };
    return this.run(incoming, invocation, () => undefined, start, { unroutable: line });
  }

  private async dispatchAction(incoming: IncomingAction, start: RequestStart): Promise<DispatchResult> {
    const { correlationId } = start;
    const { router } = this.deps;
    const check = this.deps.tokens.verify(incoming.token, incoming.conversation.id);
    const action = check.ok ? router.action(check.payload.action) : undefined;
    if (!check.ok || !action) {
      const reason = check.ok ? 'unknown-action' : check.reason;
      const message = describeRejection(reason);
      const user = await this.deps.identity.resolve(incoming);
      await this.deps.auditor.refusedToken(incoming, user, correlationId, reason);
      await this.deps.delivery.post(
        incoming.conversation,
        { text: message, status: 'warn' },
        { replyTo: incoming, privateTo: user },
      );
      return { status: 'denied', correlationId, message };
    }
    const invocation = router.actionInvocation(action, check.payload.args);
    const button: ButtonClick = {
      nonce: check.payload.nonce,
      tokenExpires: check.payload.expires,
      consumed: false,
    };
    return this.run(incoming, invocation, action.spec.run, start, { button });
  }

  /**
   * Identifies the caller (roles from the policy, email from the adapter; for a nested run, the roles of
   * its principal again), then runs one invocation through the built-in steps, the plugins' middleware
   * and its handler.
   */
  private async run(
    incoming: Incoming,
    invocation: Invocation,
    handler: Handler,
    start: RequestStart,
    known: Known = {},
  ): Promise<DispatchResult> {
    const { correlationId, log, nested } = start;
    const { gate, metrics } = this.deps;
    freezeIncoming(incoming);
    const user = nested
      ? this.deps.identity.refresh(nested.user)
      : await this.deps.identity.resolve(incoming);
    const controller = new AbortController();
    const onShutdown = () => controller.abort(gate.shutdownSignal.reason);
    gate.shutdownSignal.addEventListener('abort', onShutdown, { once: true });
    const { approvedBy, ...decided } = known;
    const request = newPipelineRequest(nested?.button ? { ...decided, button: nested.button } : decided);
    const ctx = createRequestContext({
      delivery: this.deps.delivery,
      policy: this.deps.policy,
      execute: (commandLine, caller) => this.execute(commandLine, caller, request),
      id: correlationId,
      ...(nested ? { parent: nested.parent } : {}),
      ...(approvedBy ? { approvedBy } : {}),
      incoming,
      invocation,
      user,
      log: lazyChild(log, { user: user.key, [invocation.kind]: invocation.name }),
      signal: controller.signal,
    });
    const { outcome } = request;
    const started = performance.now();
    setSpanAttributes({ 'chatops.kind': invocation.kind, 'chatops.target': invocation.name });
    try {
      await runPipeline(this.deps.steps, this.deps.middleware, ctx, request, () =>
        withSpan(`handler ${invocation.name}`, {}, () => this.runHandler(ctx, request, handler, controller)),
      );
    } catch (error) {
      outcome.status = 'error';
      outcome.message = (error as Error).message;
      log.error({ err: error }, 'pipeline failed');
      await this.reportError(ctx, error).catch(() => undefined);
    } finally {
      gate.shutdownSignal.removeEventListener('abort', onShutdown);
      if (outcome.status === 'ok' || outcome.status === 'error') {
        metrics.handlerDuration.observe({ command: invocation.name }, (performance.now() - started) / 1000);
      }
      metrics.handled.inc({ command: invocation.name, outcome: outcome.status });
      setSpanAttributes({ 'chatops.outcome': outcome.status });
      ctx.log.debug(
        { outcome: outcome.status, durationMs: Math.round(performance.now() - started) },
        'request handled',
      );
    }
    return {
      status: outcome.status,
      correlationId,
      ...(outcome.message ? { message: outcome.message } : {}),
    };
  }

  /**
   * `ctx.execute`: runs a command line as the caller, in its conversation, through the whole pipeline:
   * the caller's roles are resolved again from the policy, and the run's audit lines name the caller as
   * parent. Run from a button, it carries the click along: a write it runs uses the button up.
   */
  private execute(commandLine: string, caller: Context, request: PipelineRequest): Promise<DispatchResult> {
    const { incoming, user } = caller;
    return this.admit(
      {
        type: 'message',
        platform: incoming.platform,
        user: chatUser(user),
        conversation: incoming.conversation,
        text: commandLine,
        addressed: true,
        raw: incoming.raw,
      },
      { user, parent: caller.id, ...(request.button ? { button: request.button } : {}) },
    );
  }

  private async runHandler(
    ctx: Context,
    request: PipelineRequest,
    handler: Handler,
    controller: AbortController,
  ): Promise<void> {
    const { outcome } = request;
    const timeoutMs = this.deps.timeoutMs;
    try {
      const result = await withTimeout(
        Promise.resolve().then(() => handler(ctx)),
        timeoutMs,
      );
      if (!result.done) {
        controller.abort(new Error('timed out'));
        outcome.status = 'error';
        outcome.message = `timed out after ${formatDuration(timeoutMs)}`;
        request.timedOut = true;
        await ctx.replyPrivately({ text: `"${ctx.invocation.text}" ${outcome.message}.`, status: 'danger' });
        return;
      }
      await this.deliverResult(ctx, result.value);
      outcome.status = 'ok';
    } catch (error) {
      outcome.status =
        error instanceof UsageError ? 'usage' : error instanceof AccessDeniedError ? 'denied' : 'error';
      outcome.message = (error as Error).message;
      if (error instanceof AccessDeniedError) await this.auditRefusal(ctx, request, error);
      await this.reportError(ctx, error);
    }
  }

  private async deliverResult(ctx: Context, result: HandlerResult): Promise<void> {
    const card = resultCard(result);
    if (!card) return;
    if (ctx.invocation.kind === 'action' && ctx.message && ctx.incoming.type === 'action') {
      const footer = `by @${ctx.user.name}`;
      const { delivery } = this.deps;
      const clicked = card.title === undefined ? await delivery.postedCard(ctx.message) : undefined;
      if (clicked) {
        const click = { token: ctx.incoming.token, spent: ctx.invocation.effect === 'write', footer };
        await delivery.updateSigned(ctx.message, withClickOutcome(clicked, card, click));
        return;
      }
      // A card with a title says all the clicked message should say now: it replaces it.
      await ctx.update(ctx.message, { ...card, footer: card.footer ?? footer });
      return;
    }
    await ctx.reply(card);
  }

  /** A handler's own refusal: a `denied` decision line, written before the user is told. */
  private auditRefusal(ctx: Context, request: PipelineRequest, error: AccessDeniedError): Promise<void> {
    request.refusedByHandler = true;
    return this.deps.auditor.decision(ctx, 'denied', { reason: error.reason, ...approvalDetails(ctx) });
  }

  private async reportError(ctx: Context, error: unknown): Promise<void> {
    if (error instanceof UsageError) {
      const command =
        ctx.invocation.kind === 'command' ? this.deps.router.commands.get(ctx.invocation.name) : undefined;
      const usage = command ? ` Usage: ${usageLine(command)}` : '';
      await ctx.replyPrivately({ text: `${error.message}.${usage}`, status: 'warn' });
      return;
    }
    if (error instanceof UserFacingError) {
      await ctx.replyPrivately(error.card ?? { text: error.message, status: 'danger' });
      return;
    }
    if (error instanceof StoreUnavailableError) {
      ctx.log.warn({ err: error }, 'refused: state store unavailable');
      await ctx.replyPrivately({ text: UNAVAILABLE_REPLY, status: 'danger' });
      return;
    }
    ctx.log.error({ err: error }, 'handler failed');
    await ctx.replyPrivately({
      text: `Something went wrong running "${ctx.invocation.text}" (ref ${ctx.id}). The details are in the bot's log.`,
      status: 'danger',
    });
  }

  private firstDelivery(incoming: Incoming): Promise<boolean> {
    const key = `chatops:event:${incoming.platform}:${incoming.eventId}`;
    return this.deps.store.setIfAbsent(key, 1, { ttlMs: EVENT_TTL_MS });
  }
}

function firstWord(text: string): string {
  return text.split(/\s+/)[0] ?? text;
}

function ignored(correlationId: string, message: string): DispatchResult {
  return { status: 'ignored', correlationId, message };
}
