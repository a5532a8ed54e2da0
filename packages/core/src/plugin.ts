import type { Logger } from 'pino';
import type { ZodType } from 'zod';
import type { HttpRegistrar } from './adapter.js';
import type { Card, Effect, Reply } from './card.js';
import type { Args, Context, HandlerResult, Middleware } from './context.js';
import type { MessageRef } from './incoming.js';
import type { Metrics } from './metrics.js';
import type { JobFunction } from './scheduler.js';
import type { Store } from './store.js';

/** A handler for a command, listener or action. */
export type Handler = (ctx: Context) => Promise<HandlerResult> | HandlerResult;

/** A declared `--option`. */
export interface OptionSpec {
  type: 'string' | 'number' | 'boolean';
  description?: string;
  default?: string | number | boolean;
  /** Single-letter alias (`-l`). */
  alias?: string;
  /** Allowed values. */
  choices?: readonly (string | number)[];
}

/** Something whose permission or effect may depend on its arguments. */
export type ByArgs<T> = T | ((args: Args) => T);

/** A command: words the user types, then arguments. */
export interface CommandSpec {
  /** Word path, e.g. `aws s3 public`. Case-insensitive. */
  name: string;
  /**
   * Positional arguments: `<required>`, `[optional]`, `<rest...>`; a `:number` suffix converts
   * (`<count:number>`). Example: `'<target> [extra...]'`.
   */
  args?: string;
  options?: Record<string, OptionSpec>;
  effect: ByArgs<Effect>;
  /** Defaults to `<plugin>.<command words joined by dots>`. */
  permission?: ByArgs<string>;
  /** One line for `help`. */
  summary: string;
  description?: string;
  examples?: string[];
  /** Hidden from `help` (still runnable). */
  hidden?: boolean;
  run: Handler;
}

/** A button action. */
export interface ActionSpec {
  effect: ByArgs<Effect>;
  /** Defaults to the action id. */
  permission?: ByArgs<string>;
  /** How long a button stays valid; defaults to the robot's `actions.ttl`. */
  ttl?: string | number;
  run: Handler;
}

/** A Hubot-style regex listener. */
export interface ListenerSpec {
  /** Listener id for permissions and audit, defaults to `<plugin>.hear.<n>`. */
  id?: string;
  effect?: ByArgs<Effect>;
  permission?: ByArgs<string>;
  run: Handler;
}

/** Options for `bot.every`. */
export interface ScheduleOptions {
  /** Run once right after start as well. */
  immediate?: boolean;
}

/** What a plugin's `setup` receives. */
export interface Bot {
  /** The plugin's name. */
  readonly plugin: string;
  /** The bot's name (`opsbot`). */
  readonly name: string;
  /** Directory of the config file; relative paths in plugin config resolve against it. */
  readonly configDir: string;
  readonly log: Logger;
  readonly store: Store;
  readonly metrics: Metrics;
  /** Present when `http` is configured. */
  readonly http?: HttpRegistrar;
  command(spec: CommandSpec): void;
  action(id: string, spec: ActionSpec): void;
  /** Runs on every message matching `pattern` (lower priority than commands). */
  hear(pattern: RegExp, handlerOrSpec: Handler | ListenerSpec): void;
  /** Runs on addressed messages matching `pattern` that no command took. */
  respond(pattern: RegExp, handlerOrSpec: Handler | ListenerSpec): void;
  /** Adds middleware after the built-in ones. */
  use(middleware: Middleware): void;
  /** Runs `fn` on an interval (`30s`, `5m`, `1h`) or a cron expression; runs never overlap. */
  every(schedule: string, name: string, fn: JobFunction, options?: ScheduleOptions): void;
  /** Posts a card to the conversations a notification route maps to on the active adapter. */
  notify(route: string, reply: Reply): Promise<MessageRef[]>;
  /** Replaces a message the robot posted (e.g. an alert) outside of a request. */
  update(ref: MessageRef, reply: Reply): Promise<void>;
  /** Current time; tests replace the clock. */
  now(): number;
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

/** Declares a plugin with its config type inferred from the schema. */
export function definePlugin<C = unknown>(definition: PluginDefinition<C>): PluginDefinition<C> {
  return definition;
}

/** Thrown by handlers for a bad call: the user sees the message and the command's usage. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Thrown by handlers to say something the user should see as is (no stack, no correlation id). */
export class UserFacingError extends Error {
  override name = 'UserFacingError';
  constructor(
    message: string,
    readonly card?: Card,
  ) {
    super(message);
  }
}
