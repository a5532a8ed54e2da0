import { describeRejection } from './actions/action-token.js';
import { createAddressing } from './addressing.js';
import { type Card, toCard } from './card.js';
import { compose } from './compose.js';
import type { Context, HandlerResult, Invocation } from './context.js';
import { newCorrelationId } from './correlation-id.js';
import { formatDuration, parseDuration } from './duration.js';
import type { Incoming, IncomingAction, IncomingMessage } from './incoming.js';
import { lazyChild } from './lazy-logger.js';
import type { DispatchResult, OutcomeStatus } from './outcome.js';
import type { Handler } from './plugin.js';
import { UsageError, UserFacingError } from './plugin.js';
import type { Principal } from './principal.js';
import { createRequestContext } from './request-context.js';
import type { Robot } from './robot.js';
import { usageLine } from './router/usage.js';
import type { ApprovalRequest } from './security/approvals.js';
import { basePrincipal } from './security/identity.js';
import { StoreUnavailableError } from './store.js';

/** How long a delivery id is remembered (Slack retries within minutes). */
export const EVENT_TTL_MS = 60 * 60 * 1000;
const UNAVAILABLE_REPLY = 'State store unavailable, try again.';

/** Where the outcome of one request is collected by the pipeline. */
export interface RequestOutcome {
  status: OutcomeStatus;
  message?: string;
}

/** Turns incoming messages and clicks into invocations and runs them through the middleware pipeline. */
export class Dispatcher {
  private readonly address: ReturnType<typeof createAddressing>;

  constructor(private readonly robot: Robot) {
    this.address = createAddressing(robot.config.name, robot.config.prefix);
  }

  /**
   * Handles one incoming event. `deduplicated`: its delivery id was already claimed (it comes from
   * the shared event stream). With a stream, chat messages are handed to it instead of run here.
   */
  async dispatch(
    incoming: Incoming,
    as?: Principal,
    options: { deduplicated?: boolean } = {},
  ): Promise<DispatchResult> {
    const correlationId = newCorrelationId();
    const log = lazyChild(this.robot.log, { cid: correlationId });
    try {
      if (incoming.user.isBot && !this.robot.config.auth.allowBots)
        return ignored(correlationId, 'message from a bot');
      if (incoming.eventId && !options.deduplicated) {
        const stream = this.robot.events;
        if (stream && !as && incoming.type === 'message' && !incoming.slash) {
          if (await stream.enqueue({ ...incoming, eventId: incoming.eventId }))
            return { status: 'queued', correlationId };
          return ignored(correlationId, 'duplicate delivery');
        }
        if (!(await this.firstDelivery(incoming))) {
          log.debug({ eventId: incoming.eventId }, 'duplicate delivery dropped');
          return ignored(correlationId, 'duplicate delivery');
        }
      }
      const user = as ?? basePrincipal(incoming.platform, incoming.user);
      const state = as ? { identified: true, nested: true } : {};
      return incoming.type === 'action'
        ? await this.dispatchAction(incoming, user, correlationId, log, state)
        : await this.dispatchMessage(incoming, user, correlationId, log, state);
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

  private async dispatchMessage(
    incoming: IncomingMessage,
    user: Principal,
    correlationId: string,
    log: Robot['log'],
    state: Record<string, unknown>,
  ): Promise<DispatchResult> {
    const { addressed, text } = this.address(incoming.text, incoming.addressed);
    if (addressed && text === '') {
      await this.robot.post(incoming.conversation, `Hi ${user.name}! Try \`help\`.`, { replyTo: incoming });
      return { status: 'ok', correlationId };
    }
    const route = this.robot.router.resolve(text, addressed);
    switch (route.type) {
      case 'none':
        return ignored(correlationId, 'not for the bot');
      case 'unknown': {
        const word = text.split(/\s+/)[0] ?? text;
        const hint = route.suggestions.length
          ? ` Did you mean ${route.suggestions.map((path) => `\`${path}\``).join(', ')}?`
          : ' Try `help`.';
        const message = `Unknown command "${word}".${hint}`;
        await this.robot.post(incoming.conversation, message, { replyTo: incoming, privateTo: user });
        this.robot.metrics.handled.inc({ command: 'unknown', outcome: 'unknown' });
        return { status: 'unknown', correlationId, message };
      }
      case 'usage': {
        const message = `${route.error}. Usage: ${route.usage}`;
        await this.robot.post(
          incoming.conversation,
          { text: message, status: 'warn', footer: `Try: help ${route.command.path}` },
          { replyTo: incoming, privateTo: user },
        );
        this.robot.metrics.handled.inc({ command: route.command.path, outcome: 'usage' });
        return { status: 'usage', correlationId, message };
      }
      case 'command':
        return this.run(incoming, user, route.invocation, route.command.spec.run, correlationId, log, state);
      case 'listeners': {
        let result: DispatchResult = { status: 'ok', correlationId };
        for (const { listener, invocation } of route.matches) {
          const outcome = await this.run(incoming, user, invocation, listener.run, correlationId, log, state);
          if (outcome.status !== 'ok') result = outcome;
        }
        return result;
      }
    }
  }

  private async dispatchAction(
    incoming: IncomingAction,
    user: Principal,
    correlationId: string,
    log: Robot['log'],
    state: Record<string, unknown>,
  ): Promise<DispatchResult> {
    const check = this.robot.tokens.verify(incoming.token, incoming.conversation.id);
    const action = check.ok ? this.robot.router.action(check.payload.action) : undefined;
    if (!check.ok || !action) {
      const reason = check.ok ? 'unknown-action' : check.reason;
      const message = describeRejection(reason);
      await this.robot.auditor.refusedToken(incoming, user, correlationId, reason);
      await this.robot.post(
        incoming.conversation,
        { text: message, status: 'warn' },
        { replyTo: incoming, privateTo: user },
      );
      return { status: 'denied', correlationId, message };
    }
    const invocation = this.robot.router.actionInvocation(action, check.payload.args);
    return this.run(incoming, user, invocation, action.spec.run, correlationId, log, {
      ...state,
      nonce: check.payload.nonce,
      tokenExpires: check.payload.expires,
    });
  }

  /**
   * Runs one invocation through the middleware pipeline (identify → authorize → approval → audit →
   * rate limit → plugin middleware) and then its handler, with a timeout and error containment.
   */
  async run(
    incoming: Incoming,
    user: Principal,
    invocation: Invocation,
    handler: Handler,
    correlationId: string,
    log: Robot['log'],
    state: Record<string, unknown> = {},
  ): Promise<DispatchResult> {
    const controller = new AbortController();
    const onShutdown = () => controller.abort(this.robot.shutdownSignal.reason);
    this.robot.shutdownSignal.addEventListener('abort', onShutdown, { once: true });
    const outcome: RequestOutcome = { status: 'denied' };
    const ctx = createRequestContext({
      host: this.robot,
      id: correlationId,
      incoming,
      invocation,
      user,
      log: lazyChild(log, { user: user.key, [invocation.kind]: invocation.name }),
      signal: controller.signal,
      state: { ...state, outcome },
    });
    const started = performance.now();
    try {
      await compose(this.robot.middleware)(ctx, () => this.runHandler(ctx, handler, controller, outcome));
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
    const log = lazyChild(this.robot.log, { cid: correlationId, approval: request.id });
    const { invocation } = request;
    let resolved: { invocation: Invocation; handler: Handler } | undefined;
    if (invocation.kind === 'action') {
      const action = this.robot.router.action(invocation.name);
      if (action)
        resolved = {
          invocation: this.robot.router.actionInvocation(action, invocation.args),
          handler: action.spec.run,
        };
    } else {
      const route = this.robot.router.resolve(invocation.text, true);
      if (route.type === 'command')
        resolved = { invocation: route.invocation, handler: route.command.spec.run };
    }
    if (!resolved)
      return { status: 'unknown', correlationId, message: `"${invocation.name}" no longer exists` };
    return this.run(
      request.incoming,
      request.requester,
      resolved.invocation,
      resolved.handler,
      correlationId,
      log,
      // Not marked identified: the requester's roles are resolved again, so a revoked role stops it.
      {
        approved: true,
        approver: approver.key,
        approverName: approver.name,
      },
    );
  }

  private async runHandler(
    ctx: Context,
    handler: Handler,
    controller: AbortController,
    outcome: RequestOutcome,
  ): Promise<void> {
    const timeoutMs = parseDuration(this.robot.config.timeout) ?? 300_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      const result = await Promise.race([Promise.resolve().then(() => handler(ctx)), timedOut]);
      if (result === 'timeout') {
        controller.abort(new Error('timed out'));
        outcome.status = 'error';
        outcome.message = `timed out after ${formatDuration(timeoutMs)}`;
        ctx.state['outcomeKind'] = 'timeout';
        await ctx.replyPrivately({ text: `"${ctx.invocation.text}" ${outcome.message}.`, status: 'danger' });
        return;
      }
      await this.deliverResult(ctx, result);
      outcome.status = 'ok';
    } catch (error) {
      outcome.status = error instanceof UsageError ? 'usage' : 'error';
      outcome.message = (error as Error).message;
      await this.reportError(ctx, error);
    } finally {
      clearTimeout(timer);
    }
  }

  private async deliverResult(ctx: Context, result: HandlerResult): Promise<void> {
    if (result === undefined || result === null) return;
    const card: Card = toCard(result);
    if (ctx.invocation.kind === 'action' && ctx.message) {
      await ctx.update(ctx.message, { ...card, footer: card.footer ?? `by @${ctx.user.name}` });
      return;
    }
    await ctx.reply(card);
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

function ignored(correlationId: string, message: string): DispatchResult {
  return { status: 'ignored', correlationId, message };
}
