import type { Logger } from 'pino';
import type { ZodType } from 'zod';
import type { HttpRegistrar } from '../chat/adapter.js';
import type { Card, Effect, Reply } from '../chat/card.js';
import type { Conversation, IncomingMessage, MessageRef } from '../chat/incoming.js';
import type { Args, Context, HandlerResult, Middleware } from '../pipeline/context.js';
import type { OptionSpec } from '../router/option-spec.js';
import type { CommandArgs } from '../router/typed-args.js';
import type { Metrics } from '../runtime/metrics.js';

export type { OptionSpec } from '../router/option-spec.js';

import type { JobFunction } from '../runtime/scheduler.js';
import type { PluginStore } from '../store/plugin-store.js';

/** A handler for a command, listener or action; `A` is what `ctx.args` holds. */
export type Handler<A extends Args = Args> = (ctx: Context<A>) => Promise<HandlerResult> | HandlerResult;

/** The options of a command that declares none. */
export type NoOptions = Readonly<Record<never, OptionSpec>>;

/** Something whose permission or effect may depend on its arguments. */
export type ByArgs<T, A extends Args = Args> = T | ((args: A) => T);

/**
 * A command: words the user types, then arguments. Through `bot.command`, `ctx.args` in `run` (and the
 * `args` of `effect` and `permission` functions) is typed from `args` and `options`; see
 * {@link CommandArgs}.
 */
export interface CommandSpec<
  A extends string = string,
  O extends Readonly<Record<string, OptionSpec>> = Readonly<Record<string, OptionSpec>>,
> {
  /** Word path, e.g. `aws s3 public`. Case-insensitive. */
  name: string;
  /**
   * Positional arguments: `<required>`, `[optional]`, `<rest...>`; a `:number` suffix converts
   * (`<count:number>`). Example: `'<target> [extra...]'`.
   */
  args?: A;
  options?: O;
  effect: ByArgs<Effect, CommandArgs<A, O>>;
  /** Defaults to `<plugin>.<command words joined by dots>`. */
  permission?: ByArgs<string, CommandArgs<A, O>>;
  /** One line for `help`. */
  summary: string;
  description?: string;
  examples?: string[];
  /** Hidden from `help` (still runnable). */
  hidden?: boolean;
  run: Handler<CommandArgs<A, O>>;
}

/**
 * A button action. `A` is the shape of the `args` the plugin put on its buttons (they are signed, so
 * they come back as they were posted).
 */
export interface ActionSpec<A extends Args = Args> {
  effect: ByArgs<Effect, A>;
  /** Defaults to the action id. */
  permission?: ByArgs<string, A>;
  /** How long a button stays valid; defaults to the robot's `actions.ttl`. */
  ttl?: string | number;
  run: Handler<A>;
}

/** A Hubot-style regex listener. */
export interface ListenerSpec {
  /**
   * Listener id for permissions and audit. Defaults to `<plugin>.listener.<n>`, `n` counting this
   * plugin's listeners in the order it registers them (other plugins do not change it).
   */
  id?: string;
  /** Required: whether the listener only reads or changes something (writes are denied by default). */
  effect: ByArgs<Effect>;
  /** Defaults to the listener id. */
  permission?: ByArgs<string>;
  /**
   * Runs only for lines that no command and no other listener took (Hubot's `catchAll`): addressed
   * lines for `respond`, every line for `hear`. Takes the place of the "unknown command" answer.
   */
  fallback?: boolean;
  /** Lines for `help` (e.g. from a Hubot script's `Commands:` block), shown to whoever may run it. */
  help?: HelpEntry[];
  run: Handler;
}

/** A line of `help` for something that is not a command (a listener). */
export interface HelpEntry {
  /** How to use it, e.g. `ship it` or `echo <text>`. */
  usage: string;
  summary: string;
}

/**
 * A listener's own matcher: a match (its groups become args) or nothing. It gets the line after
 * addressing was stripped and, when routing a message, the message it came from.
 */
export type ListenerMatcher = (
  text: string,
  incoming?: IncomingMessage,
) => RegExpMatchArray | null | undefined;

/** Options for `bot.every`. */
export interface ScheduleOptions {
  /** Run once right after start as well. */
  immediate?: boolean;
}

/**
 * What a plugin's `setup` receives: registration of commands, listeners, buttons, middleware and
 * jobs, and the plugin's store, logger and messaging outside of a request.
 *
 * @example
 * setup(bot) {
 *   bot.hear(/^ship it$/i, { effect: 'read', run: () => 'Shipping!' });
 *   bot.every('5m', 'check-queue', async () => {
 *     const depth = await queueDepth();
 *     if (depth > 1000) await bot.notify('alerts', { title: 'Queue backing up', status: 'warn' });
 *   });
 * }
 */
export interface Bot {
  /** The plugin's name. */
  readonly plugin: string;
  /** The bot's name (`opsbot`). */
  readonly name: string;
  /** Directory of the config file; relative paths in plugin config resolve against it. */
  readonly configDir: string;
  readonly log: Logger;
  /**
   * The plugin's own keys in the robot's store, kept as `<plugin>:<key>` (so `ping`'s `last:uat` is
   * `ping:last:uat`). Other plugins' keys and the robot's are out of reach.
   * @example
   * await bot.store.set('last-deploy', { by: ctx.user.name }, { ttlMs: 86_400_000 });
   * const last = await bot.store.get<{ by: string }>('last-deploy');
   */
  readonly store: PluginStore;
  readonly metrics: Metrics;
  /** Present when `http` is configured. */
  readonly http?: HttpRegistrar;
  /**
   * Registers a command. `ctx.args` is typed from the declared `args` and `options`.
   * @example
   * bot.command({
   *   name: 'deploy',
   *   args: '<service> [version]',
   *   options: { force: { type: 'boolean' }, replicas: { type: 'number', default: 2 } },
   *   effect: 'write',
   *   summary: 'Deploy a service',
   *   // ctx.args: { service: string; version: string | undefined; force: boolean; replicas: number }
   *   run: (ctx) => `Deploying ${ctx.args.service} ×${ctx.args.replicas}`,
   * });
   */
  command<const A extends string = '', const O extends Readonly<Record<string, OptionSpec>> = NoOptions>(
    spec: CommandSpec<A, O>,
  ): void;
  /**
   * Registers a button action; `A` types the args the plugin's own buttons carry.
   * @example
   * bot.action<{ to: string }>('hello.wave', { effect: 'read', run: (ctx) => `Hi ${ctx.args.to}` });
   */
  action<A extends Args = Args>(id: string, spec: ActionSpec<A>): void;
  /**
   * Runs on every message matching `pattern` (lower priority than commands).
   * @example
   * bot.hear(/\bINC-(\d+)\b/, { effect: 'read', run: (ctx) => `Incident ${ctx.invocation.match?.[1]}` });
   */
  hear(pattern: RegExp | ListenerMatcher, spec: ListenerSpec): void;
  /** Runs on addressed messages matching `pattern` that no command took. */
  respond(pattern: RegExp | ListenerMatcher, spec: ListenerSpec): void;
  /**
   * Adds middleware after the robot's built-in steps, so it sees only allowed requests. Type
   * `ctx.state` with the parameter: `bot.use<{ startedAt: number }>(…)`.
   */
  use<S extends object = Record<string, unknown>>(middleware: Middleware<S>): void;
  /**
   * Runs `fn` on an interval (`30s`, `5m`, `1h`) or a cron expression; runs never overlap.
   * @example
   * bot.every('0 9 * * 1-5', 'morning-report', (signal) => postReport(bot, signal));
   */
  every(schedule: string, name: string, fn: JobFunction, options?: ScheduleOptions): void;
  /** Posts a card to the conversations a notification route maps to on the active adapter. */
  notify(route: string, reply: Reply): Promise<MessageRef[]>;
  /**
   * Posts to a conversation outside of a request: a `Conversation`, or a name the adapter resolves
   * (`#ops`, `@alice`).
   */
  send(conversation: Conversation | string, reply: Reply): Promise<MessageRef | undefined>;
  /** Replaces a message the robot posted (e.g. an alert) outside of a request. */
  update(ref: MessageRef, reply: Reply): Promise<void>;
  /** Current time; tests replace the clock. */
  now(): number;
  /**
   * Adds an error hook (as grammY's `bot.catch` or Bolt's `app.error`): it is called, and awaited, when
   * a command, listener, action, middleware or scheduled job throws an unexpected error, before the
   * requester gets the usual "Something went wrong (ref …)" answer. `UsageError` and
   * `UserFacingError` are answers, not failures, and do not reach it. A hook that throws is logged.
   * @example
   * bot.onError((error, origin) => errorTracker.capture(error, { tags: { ...origin, ctx: undefined } }));
   * // Every plugin's errors, e.g. from a plugin that only reports:
   * bot.onError(report, { scope: 'robot' });
   */
  onError(handler: ErrorHandler, options?: ErrorHookOptions): void;
}

/** Where an error given to `bot.onError` handlers came from. */
export interface ErrorOrigin {
  /** The plugin whose code threw. */
  plugin: string;
  kind: 'command' | 'listener' | 'action' | 'middleware' | 'job';
  /** Command path, listener or action id, middleware function name, or job name. */
  name: string;
  /** The request, for everything but scheduled jobs. */
  ctx?: Context;
}

/** An error hook: sees unexpected errors (not `UsageError` or `UserFacingError`) after they are logged. */
export type ErrorHandler = (error: unknown, origin: ErrorOrigin) => Promise<void> | void;

/** Options of `bot.onError`. */
export interface ErrorHookOptions {
  /** `plugin` (default): errors of this plugin's code; `robot`: of every plugin's, built-ins included. */
  scope?: 'plugin' | 'robot';
}

/** Teardown returned by `setup`. */
export type Teardown = () => Promise<void> | void;

/** A plugin definition. */
export interface PluginDefinition<C = unknown> {
  name: string;
  /** Schema of the plugin's config block; validated at start-up, errors name the key. */
  config?: ZodType<C>;
  setup(bot: Bot, config: C): Promise<Teardown | undefined | void> | Teardown | undefined | void;
}

/**
 * Declares a plugin (a plugin package's default export) with its config type inferred from the
 * schema. `setup` registers commands, listeners, actions and jobs on the {@link Bot} and may return
 * a teardown run at shutdown.
 *
 * @example
 * export default definePlugin({
 *   name: 'hello',
 *   config: z.object({ greeting: z.string().default('Hello') }),
 *   setup(bot, config) {
 *     bot.command({
 *       name: 'hello',
 *       args: '<name>',
 *       effect: 'read',
 *       summary: 'Greet someone',
 *       run: (ctx) => `${config.greeting}, ${ctx.args.name}!`, // ctx.args.name: string
 *     });
 *   },
 * });
 */
export function definePlugin<C = unknown>(definition: PluginDefinition<C>): PluginDefinition<C> {
  return definition;
}

// Brands shared by every copy of this package in a process (`Symbol.for`), so an error thrown by a
// plugin that bundles or installs its own copy of @chatops/core is still recognized by the robot's.
const USAGE_ERROR = Symbol.for('@chatops/core/UsageError');
const USER_FACING_ERROR = Symbol.for('@chatops/core/UserFacingError');

function hasBrand(value: unknown, brand: symbol): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

/** Marks the class's instances and makes `instanceof` go by the mark (a subclass keeps the usual check). */
function brand(
  base: abstract new (...args: never[]) => object,
  mark: symbol,
  guard: (value: unknown) => boolean,
) {
  Object.defineProperty(base.prototype, mark, { value: true });
  Object.defineProperty(base, Symbol.hasInstance, {
    value: function (this: object, value: unknown): boolean {
      return this === base ? guard(value) : Function.prototype[Symbol.hasInstance].call(this, value);
    },
  });
}

/**
 * Whether `value` is a {@link UsageError}, from this copy of @chatops/core or any other.
 * @example
 * if (isUsageError(error)) return showUsage(error.message);
 */
export function isUsageError(value: unknown): value is UsageError {
  return hasBrand(value, USAGE_ERROR);
}

/**
 * Whether `value` is a {@link UserFacingError}, from this copy of @chatops/core or any other.
 * @example
 * if (isUserFacingError(error)) await ctx.replyPrivately(error.card ?? error.message);
 */
export function isUserFacingError(value: unknown): value is UserFacingError {
  return hasBrand(value, USER_FACING_ERROR);
}

/**
 * Thrown by handlers for a bad call: the user sees the message and the command's usage.
 * `instanceof UsageError` holds across copies of @chatops/core (see {@link isUsageError}).
 * @example
 * if (ctx.args.times > 5) throw new UsageError('--times must be 1 to 5');
 */
export class UsageError extends Error {
  override name = 'UsageError';
}
brand(UsageError, USAGE_ERROR, isUsageError);

/**
 * Thrown by handlers to say something the user should see as is (no stack, no correlation id).
 * `instanceof UserFacingError` holds across copies of @chatops/core (see {@link isUserFacingError}).
 * @example
 * throw new UserFacingError('That run is already over.');
 */
export class UserFacingError extends Error {
  override name = 'UserFacingError';
  constructor(
    message: string,
    readonly card?: Card,
  ) {
    super(message);
  }
}
brand(UserFacingError, USER_FACING_ERROR, isUserFacingError);

/**
 * Thrown by a handler to refuse a request after a check of its own (only the requester may cancel a
 * run, nobody may approve their own request): the user sees the message privately, the result is
 * `denied`, and the audit log records a `denied` decision with `reason` (the message by default).
 *
 * @example
 * if (ctx.user.key !== run.requester && !ctx.can('shell.cancel-others'))
 *   throw new AccessDeniedError('only the requester may cancel this run');
 */
export class AccessDeniedError extends UserFacingError {
  override name = 'AccessDeniedError';
  constructor(
    message: string,
    readonly reason: string = message,
  ) {
    super(message);
  }
}
