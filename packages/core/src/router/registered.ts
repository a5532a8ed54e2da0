import type { Effect } from '../chat/card.js';
import type { Args } from '../pipeline/context.js';
import type {
  ActionSpec,
  ByArgs,
  CommandSpec,
  Handler,
  HelpEntry,
  ListenerMatcher,
  OptionSpec,
} from '../plugins/plugin.js';
import type { PositionalSpec } from './arg-spec.js';

/** A command as the router keeps it. */
export interface RegisteredCommand {
  /** Normalized word path (`aws s3 public`). */
  path: string;
  words: string[];
  plugin: string;
  spec: CommandSpec;
  positionals: PositionalSpec[];
  options: Record<string, OptionSpec>;
  permission: (args: Args) => string;
  effect: (args: Args) => Effect;
}

/** A regex listener. */
export interface RegisteredListener {
  id: string;
  plugin: string;
  pattern: RegExp | ListenerMatcher;
  /** `respond` listeners only see addressed messages. */
  addressedOnly: boolean;
  /** Runs only when no command and no other listener took the line. */
  fallback: boolean;
  /** Lines for `help`, shown to whoever may run the listener. */
  help: HelpEntry[];
  permission: (args: Args) => string;
  effect: (args: Args) => Effect;
  run: Handler;
}

/** A button action. */
export interface RegisteredAction {
  id: string;
  plugin: string;
  spec: ActionSpec;
  permission: (args: Args) => string;
  effect: (args: Args) => Effect;
}

/** Turns a value-or-function into a function of the args. */
export function byArgs<T>(value: ByArgs<T> | undefined, fallback: T): (args: Args) => T {
  if (typeof value === 'function') return value as (args: Args) => T;
  const fixed = value ?? fallback;
  return () => fixed;
}

/** `aws s3 public` → `['aws','s3','public']`, lower case. */
export function commandWords(name: string): string[] {
  return name.trim().toLowerCase().split(/\s+/).filter(Boolean);
}

/** The default permission: `<plugin>.<words>`, without repeating the plugin name as first word. */
export function defaultPermission(plugin: string, words: readonly string[]): string {
  const rest = words[0] === plugin ? words.slice(1) : words;
  return [plugin, ...rest].join('.');
}
