import { describeRejection } from '../actions/action-token.js';
import { withClickOutcome } from '../actions/click-outcome.js';
import type { ApprovalRequest } from '../approvals/approvals.js';
import { resultCard } from '../chat/card.js';
import type { Incoming, IncomingAction, IncomingMessage } from '../chat/incoming.js';
import type { Principal } from '../chat/principal.js';
import type { Handler } from '../plugins/plugin.js';
import { AccessDeniedError, UsageError, UserFacingError } from '../plugins/plugin.js';
import { usageLine } from '../router/usage.js';
import { lazyChild } from '../runtime/lazy-logger.js';
import type { Robot } from '../runtime/robot.js';
import { setSpanAttributes, traceLogFields, withSpan } from '../runtime/tracing.js';
import { basePrincipal } from '../security/identity.js';
import { formatDuration } from '../shared/duration.js';
import { withTimeout } from '../shared/with-timeout.js';
import { StoreUnavailableError } from '../store/store.js';
import { createAddressing } from './addressing.js';
import { compose } from './compose.js';
import type { Context, HandlerResult, Invocation } from './context.js';
import { newCorrelationId } from './correlation-id.js';
import type { DispatchResult, RequestOutcome } from './outcome.js';
import { createRequestContext, freezeIncoming } from './request-context.js';
import { type Unroutable, unroutableState } from './unroutable.js';

/** How long a delivery id is remembered (Slack retries within minutes). */
export const EVENT_TTL_MS = 60 * 60 * 1000;
const UNAVAILABLE_REPLY = 'State store unavailable, try again.';

/**
 * The button click a request came from: its nonce, and whether a write of this click (the action itself
 * or a command it runs through `ctx.execute`) has used it up.
 */
export interface ButtonClick {
  nonce: string;
  tokenExpires: number;
  buttonUse: { consumed: boolean };
}

/** Turns incoming messages and clicks into invocations and runs them through the middleware pipeline. */
export class Dispatcher {
  private readonly address: ReturnType<typeof createAddressing>;

  constructor(private readonly robot: Robot) {
    this.address = createAddressing(robot.config.name, robot.config.prefix);
  }

  /**
   * Handles one message or click: one trace (when tracing) covering the pipeline and the handler.
   * `nested` marks a run through `ctx.execute`, with the click that led to it (if any), so a write it
   * finally runs makes that button single-use. `deduplicated`: its delivery id was already claimed (it
   * comes from the shared event stream). With a stream, chat messages are handed to it instead of run
   * here.
   */
  dispatch(
    incoming: Incoming,
    nested?: NestedRun,
    options: { deduplicated?: boolean } = {},
  ): Promise<DispatchResult> {
    const correlationId = newCorrelationId();
    return withSpan(
      `chatops ${incoming.type}`,
      { 'chatops.correlation_id': correlationId, 'chatops.platform': incoming.platform },
      async (span) => {
        const result = await this.dispatchTraced(incoming, nested, options, correlationId);
        span?.setAttribute('chatops.status', result.status);
        return result;
      },
    );
  }

  private async dispatchTraced(
    incoming: Incoming,
    nested: NestedRun | undefined,
    options: { deduplicated?: boolean },
    correlationId: string,
  ): Promise<DispatchResult> {
    const log = lazyChild(this.robot.log, { cid: correlationId, ...traceLogFields() });
    try {
      if (incoming.user.isBot && !this.robot.config.auth.allowBots)
        return ignored(correlationId, 'message from a bot');
      if (incoming.eventId && !options.deduplicated) {
        const stream = this.robot.events;
        if (stream && !nested && incoming.type === 'message' && !incoming.slash) {
          if (await stream.enqueue({ ...incoming, eventId: incoming.eventId }))
            return { status: 'queued', correlationId };
          return ignored(correlationId, 'duplicate delivery');
        }
        if (!(await this.firstDelivery(incoming))) {
          log.debug({ eventId: incoming.eventId }, 'duplicate delivery dropped');
          return ignored(correlationId, 'duplicate delivery');
        }
      }
      const request = { correlationId, log, ...(nested ? { nested } : {}) };
      return incoming.type === 'action'
        ? await this.dispatchAction(incoming, request)
        : await this.dispatchMessage(incoming, request);
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
    log: Robot['log'],
  ): Promise<DispatchResult> {
    log.warn({ eventId: incoming.eventId }, 'refused: state store unavailable');
    const forTheBot = incoming.type === 'action' || this.address(incoming.text, incoming.addressed).addressed;
    if (forTheBot) {
      const user = basePrincipal(incoming.platform, incoming.user);
      await this.robot
        .post(
          incoming.conversation,
          { text: UNAVAILABLE_REPLY, status: 'danger' },
          { replyTo: incoming, privateTo: user },
        )
        .catch((error: unknown) => log.warn({ err: error }, 'could not say the state store is unavailable'));
    }
    return { status: 'error', correlationId, message: 'state store unavailable' };
  }

  private async dispatchMessage(incoming: IncomingMessage, request: RequestStart): Promise<DispatchResult> {
    const { addressed, text } = this.address(incoming.text, incoming.addressed);
    if (addressed && text === '') {
      return this.runUnroutable(incoming, request, { type: 'greeting' }, text);
    }
    const route = this.robot.router.resolve(text, addressed, incoming);
    switch (route.type) {
      case 'none':
        return ignored(request.correlationId, 'not for the bot');
      case 'unknown':
        return this.runUnroutable(incoming, request, { type: 'unknown', word: firstWord(text) }, text);
      case 'usage':
        return this.runUnroutable(
          incoming,
          request,
          { type: 'usage', command: route.command, error: route.error },
          text,
        );
      case 'command':
        return this.run(incoming, route.invocation, route.command.spec.run, request);
      case 'listeners': {
        let result: DispatchResult = { status: 'ok', correlationId: request.correlationId };
        for (const { listener, invocation } of route.matches) {
          const outcome = await this.run(incoming, invocation, listener.run, request);
          if (outcome.status !== 'ok') result = outcome;
        }
        return result;
      }
    }
  }

  /** An addressed line that runs no handler still goes through identify, rate limit and audit. */
  private runUnroutable(
    incoming: IncomingMessage,
    request: RequestStart,
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
    return this.run(incoming, invocation, () => undefined, request, unroutableState(line));
  }

  private async dispatchAction(incoming: IncomingAction, request: RequestStart): Promise<DispatchResult> {
    const { correlationId } = request;
    const check = this.robot.tokens.verify(incoming.token, incoming.conversation.id);
    const action = check.ok ? this.robot.router.action(check.payload.action) : undefined;
    if (!check.ok || !action) {
      const reason = check.ok ? 'unknown-action' : check.reason;
      const message = describeRejection(reason);
      const user = await this.robot.identity.resolve(incoming);
      await this.robot.auditor.refusedToken(incoming, user, correlationId, reason);
      await this.robot.post(
        incoming.conversation,
        { text: message, status: 'warn' },
        { replyTo: incoming, privateTo: user },
      );
      return { status: 'denied', correlationId, message };
    }
    const invocation = this.robot.router.actionInvocation(action, check.payload.args);
    const button: ButtonClick = {
      nonce: check.payload.nonce,
      tokenExpires: check.payload.expires,
      buttonUse: { consumed: false },
    };
    const checkOnly = incoming.checkOnly === true ? { checkOnly: true } : {};
    return this.run(incoming, invocation, action.spec.run, request, { ...button, ...checkOnly });
  }

  /**
   * Identifies the caller (roles from the policy, email from the adapter; for a nested run, the roles of
   * its principal again), then runs one invocation through the middleware pipeline (rate limit →
   * unroutable lines → authorize → single use → approval → audit → plugin middleware) and its handler,
   * with a timeout and error containment.
   */
  async run(
    incoming: Incoming,
    invocation: Invocation,
    handler: Handler,
    request: RequestStart,
    state: Record<string, unknown> = {},
  ): Promise<DispatchResult> {
    const { correlationId, log, nested } = request;
    freezeIncoming(incoming);
    const user = nested
      ? this.robot.identity.refresh(nested.user)
      : await this.robot.identity.resolve(incoming);
    const controller = new AbortController();
    const onShutdown = () => controller.abort(this.robot.shutdownSignal.reason);
    this.robot.shutdownSignal.addEventListener('abort', onShutdown, { once: true });
    const outcome: RequestOutcome = { status: 'denied' };
    const ctx = createRequestContext({
      host: this.robot,
      id: correlationId,
      ...(nested ? { parent: nested.parent } : {}),
      incoming,
      invocation,
      user,
      log: lazyChild(log, { user: user.key, [invocation.kind]: invocation.name }),
      signal: controller.signal,
      state: { ...state, ...(nested ? { nested: true, ...nested.button } : {}), outcome },
    });
    const started = performance.now();
    setSpanAttributes({ 'chatops.kind': invocation.kind, 'chatops.target': invocation.name });
    try {
      await compose(this.robot.middleware)(ctx, () =>
        withSpan(`handler ${invocation.name}`, {}, () => this.runHandler(ctx, handler, controller, outcome)),
      );
    } catch (error) {
      outcome.status = 'error';
      outcome.message = (error as Error).message;
      log.error({ err: error }, 'pipeline failed');
      await this.reportError(ctx, error).catch(() => undefined);
    } finally {
      this.robot.shutdownSignal.removeEventListener('abort', onShutdown);
      if (outcome.status === 'ok' || outcome.status === 'error') {
        this.robot.metrics.handlerDuration.observe(
          { command: invocation.name },
          (performance.now() - started) / 1000,
        );
      }
      this.robot.metrics.handled.inc({ command: invocation.name, outcome: outcome.status });
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

  /** Runs an approved request as its requester, with the approver recorded. */
  async replay(request: ApprovalRequest, approver: { key: string; name: string }): Promise<DispatchResult> {
    const correlationId = newCorrelationId();
    const log = lazyChild(this.robot.log, { cid: correlationId, approval: request.id, ...traceLogFields() });
    const { invocation } = request;
    let resolved: { invocation: Invocation; handler: Handler } | undefined;
    if (invocation.kind === 'action') {
      const action = this.robot.router.action(invocation.name);
      if (action)
        resolved = {
          invocation: this.robot.router.actionInvocation(action, invocation.args),
          handler: action.spec.run,
        };
    } else if (invocation.kind === 'listener') {
      const incoming = request.incoming.type === 'message' ? request.incoming : undefined;
      const match = this.robot.router.resolveListener(invocation.name, invocation.text, incoming);
      if (match) resolved = { invocation: match.invocation, handler: match.listener.run };
    } else {
      const route = this.robot.router.resolve(invocation.text, true);
      if (route.type === 'command')
        resolved = { invocation: route.invocation, handler: route.command.spec.run };
    }
    if (!resolved)
      return { status: 'unknown', correlationId, message: `"${invocation.name}" no longer exists` };
    // The requester is identified again from the stored incoming, so a revoked role stops it.
    return this.run(
      request.incoming,
      resolved.invocation,
      resolved.handler,
      { correlationId, log },
      { approved: true, approver: approver.key, approverName: approver.name },
    );
  }

  private async runHandler(
    ctx: Context,
    handler: Handler,
    controller: AbortController,
    outcome: RequestOutcome,
  ): Promise<void> {
    const timeoutMs = this.robot.config.timeout;
    try {
      const result = await withTimeout(
        Promise.resolve().then(() => handler(ctx)),
        timeoutMs,
      );
      if (!result.done) {
        controller.abort(new Error('timed out'));
        outcome.status = 'error';
        outcome.message = `timed out after ${formatDuration(timeoutMs)}`;
        ctx.state['outcomeKind'] = 'timeout';
        await ctx.replyPrivately({ text: `"${ctx.invocation.text}" ${outcome.message}.`, status: 'danger' });
        return;
      }
      await this.deliverResult(ctx, result.value);
      outcome.status = 'ok';
    } catch (error) {
      outcome.status =
        error instanceof UsageError ? 'usage' : error instanceof AccessDeniedError ? 'denied' : 'error';
      outcome.message = (error as Error).message;
      if (error instanceof AccessDeniedError) await this.auditRefusal(ctx, error);
      await this.reportError(ctx, error);
    }
  }

  private async deliverResult(ctx: Context, result: HandlerResult): Promise<void> {
    const card = resultCard(result);
    if (!card) return;
    if (ctx.invocation.kind === 'action' && ctx.message && ctx.incoming.type === 'action') {
      const footer = `by @${ctx.user.name}`;
      const clicked = card.title === undefined ? await this.robot.postedCards.get(ctx.message) : undefined;
      if (clicked) {
        const click = { token: ctx.incoming.token, spent: ctx.invocation.effect === 'write', footer };
        await this.robot.updateRendered(ctx.message, withClickOutcome(clicked, card, click));
        return;
      }
      // A card with a title says all the clicked message should say now: it replaces it.
      await ctx.update(ctx.message, { ...card, footer: card.footer ?? footer });
      return;
    }
    await ctx.reply(card);
  }

  /** A handler's own refusal: a `denied` decision line, written before the user is told. */
  private auditRefusal(ctx: Context, error: AccessDeniedError): Promise<void> {
    ctx.state['refusedByHandler'] = true;
    const approver = ctx.state['approver'] as string | undefined;
    return this.robot.auditor.decision(ctx, 'denied', {
      reason: error.reason,
      ...(approver ? { approver, requester: ctx.user.key } : {}),
    });
  }

  private async reportError(ctx: Context, error: unknown): Promise<void> {
    if (error instanceof UsageError) {
      const command =
        ctx.invocation.kind === 'command' ? this.robot.router.commands.get(ctx.invocation.name) : undefined;
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

  private async firstDelivery(incoming: Incoming): Promise<boolean> {
    const key = `chatops:event:${incoming.platform}:${incoming.eventId}`;
    return this.robot.store.setIfAbsent(key, 1, { ttlMs: EVENT_TTL_MS });
  }
}

/** A nested run: `ctx.execute` of the request `parent`, as `user` (whose roles are resolved again). */
export interface NestedRun {
  user: Principal;
  parent: string;
  /** The click that led to the calling request, when it was a button. */
  button?: ButtonClick;
}

/** What every run of one dispatch shares. */
interface RequestStart {
  correlationId: string;
  log: Robot['log'];
  nested?: NestedRun;
}

function firstWord(text: string): string {
  return text.split(/\s+/)[0] ?? text;
}

function ignored(correlationId: string, message: string): DispatchResult {
  return { status: 'ignored', correlationId, message };
}
