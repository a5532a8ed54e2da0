import type { Logger } from 'pino';
import type { Card, Effect, Reply } from '../chat/card.js';
import type { Conversation, Incoming, MessageRef } from '../chat/incoming.js';
import type { Principal } from '../chat/principal.js';
import type { DispatchResult } from './outcome.js';

/** A parsed argument or option value. */
export type ArgValue = string | number | boolean | string[] | undefined;

/** Positional arguments and options by name (`{ target: 'uat', loud: true }`). */
export type Args = Readonly<Record<string, ArgValue>>;

/** What is being run: a command, a regex listener or a button action. */
export type InvocationKind = 'command' | 'listener' | 'action';

/** What the router resolved an incoming to. */
export interface Invocation {
  kind: InvocationKind;
  /** Command path (`aws s3 public`), listener id or action id. */
  name: string;
  /** Plugin that registered it (`core` for built-ins). */
  plugin: string;
  /** Permission checked by authorization (`aws.s3.public`). */
  permission: string;
  effect: Effect;
  args: Args;
  /** Regex match for listeners. */
  match?: RegExpMatchArray;
  /** The command line as typed, after addressing was stripped. */
  text: string;
}

/** Who approved a request (the principal's key and display name). */
export interface ApprovedBy {
  readonly key: string;
  readonly name: string;
}

/**
 * Everything a handler or middleware gets for one incoming message or click. `A` is the type of
 * `ctx.args` (inferred by `bot.command` from the declared `args` and `options`).
 *
 * @example
 * run: async (ctx) => {
 *   ctx.log.info({ service: ctx.args.service }, 'restart requested');
 *   const progress = await ctx.reply({ text: `Restarting ${ctx.args.service}…`, status: 'info' });
 *   await restart(ctx.args.service, ctx.signal);
 *   return { title: `${ctx.args.service} restarted`, status: 'ok', text: `by ${ctx.user.name}` };
 * }
 */
export interface Context<A extends Args = Args, S extends object = Record<string, unknown>> {
  /** Correlation id, in every log line and audit record of this request. */
  readonly id: string;
  readonly incoming: Incoming;
  readonly platform: string;
  /**
   * Who is asking, with the roles the policy gave them. Frozen: a handler cannot change who it runs as
   * (`execute` resolves the roles again from the policy).
   */
  readonly user: Principal;
  /** For a request run by another one's `ctx.execute`: that request's correlation id. */
  readonly parent?: string;
  readonly conversation: Conversation;
  readonly invocation: Invocation;
  /** Shortcut for `invocation.args`, typed. */
  readonly args: A;
  /** For actions: the message whose button was clicked. */
  readonly message?: MessageRef;
  /**
   * For a request that needed approval and was approved: who approved it last (the request runs as its
   * requester, `user`).
   */
  readonly approvedBy?: ApprovedBy;
  /**
   * Scratch space for plugins' middleware and handlers, empty at the start of each request. The robot's
   * own steps keep their state elsewhere, so nothing here changes what they decide. Type it with the
   * second type parameter: `Context<Args, { startedAt: number }>`.
   */
  readonly state: S;
  readonly log: Logger;
  /** Aborted on timeout or shutdown. */
  readonly signal: AbortSignal;
  /** Answers in the conversation (and thread) the request came from. */
  reply(reply: Reply): Promise<MessageRef | undefined>;
  /** Answers so only the requester sees it (ephemeral where possible, DM otherwise). */
  replyPrivately(reply: Reply): Promise<MessageRef | undefined>;
  /** Posts to another conversation: a `Conversation`, or a channel name the adapter resolves. */
  send(conversation: Conversation | string, reply: Reply): Promise<MessageRef | undefined>;
  /** Replaces a message the robot posted. */
  update(ref: MessageRef, reply: Reply): Promise<void>;
  /**
   * Shows progress in one message that is updated in place on each call; returns its reference so the
   * final result can replace it with `update`.
   */
  progress(reply: Reply): Promise<MessageRef | undefined>;
  /**
   * Runs a command line through the whole pipeline as this user, in this conversation: roles are resolved
   * again, every check applies, and its audit lines name this request as `parent`.
   */
  execute(commandLine: string): Promise<DispatchResult>;
  /**
   * Whether the requester may do `permission` here, by the robot's auth rules (roles, channels and
   * argument limits, as for a command). A rule that asks for an approval counts as no. A permission no
   * rule names falls back to `auth.defaults` for `effect`, which is `write` unless given, so it is
   * denied by default.
   * @example
   * if (ctx.user.key !== run.requester && !ctx.can(`deploy.cancel-others.${run.service}`))
   *   throw new UserFacingError('Only whoever started this deploy can cancel it.');
   */
  can(permission: string, options?: PermissionCheck): boolean;
}

/** Options of `ctx.can`. */
export interface PermissionCheck {
  /** The effect used when no rule names the permission (default `write`: denied unless configured). */
  effect?: Effect;
  /** Arguments checked against a rule's `args` limits. */
  args?: Args;
}

/**
 * A handler's result: a reply to post (for a button: the outcome added to the clicked card, or, with a
 * title, its replacement). Nothing, an empty reply, or what `ctx.reply` returns posts nothing more.
 */
export type HandlerResult = Reply | Card | MessageRef | undefined | void;

/**
 * Koa-style middleware, run after the robot's built-in steps (so only for allowed requests) and
 * before the handler. Call `next()` to continue; not calling it stops the request.
 * @example
 * bot.use(async (ctx, next) => {
 *   const started = Date.now();
 *   await next();
 *   ctx.log.info({ ms: Date.now() - started }, 'handled');
 * });
 */
export type Middleware<S extends object = Record<string, unknown>> = (
  ctx: Context<Args, S>,
  next: () => Promise<void>,
) => Promise<void>;
