import type { Invocation } from '../context.js';
import type { IncomingMessage } from '../incoming.js';
import type { ActionSpec, CommandSpec, Handler, ListenerMatcher, ListenerSpec } from '../plugin.js';
import { UsageError } from '../plugin.js';
import { parsePositionals } from './arg-spec.js';
import { CommandTrie } from './command-trie.js';
import { ListenerIndex } from './listener-index.js';
import { parseArgs } from './parse-args.js';
import {
  byArgs,
  commandWords,
  defaultPermission,
  type RegisteredAction,
  type RegisteredCommand,
  type RegisteredListener,
} from './registered.js';
import { suggestCommands } from './suggest.js';
import { usageLine } from './usage.js';

/** What a line of chat resolves to. */
export type Route =
  | { type: 'command'; command: RegisteredCommand; invocation: Invocation }
  | { type: 'usage'; command: RegisteredCommand; error: string; usage: string }
  | { type: 'listeners'; matches: { listener: RegisteredListener; invocation: Invocation }[] }
  | { type: 'unknown'; suggestions: string[] }
  | { type: 'none' };

/** Commands (indexed by words), regex listeners (a lower tier) and button actions. */
export class Router {
  readonly commands = new CommandTrie();
  readonly listeners = new ListenerIndex();
  private readonly fallbacks: RegisteredListener[] = [];
  private readonly actions = new Map<string, RegisteredAction>();
  private listenerCount = 0;

  addCommand(plugin: string, spec: CommandSpec): RegisteredCommand {
    const words = commandWords(spec.name);
    if (words.length === 0) throw new Error(`plugin "${plugin}": a command needs a name`);
    if (/^[:!]/.test(words[0]!))
      throw new Error(
        `plugin "${plugin}": command "${spec.name}" may not start with ":" or "!" (the shell adapter's own commands and buttons)`,
      );
    const command: RegisteredCommand = {
      path: words.join(' '),
      words,
      plugin,
      spec,
      positionals: parsePositionals(spec.args, spec.name),
      options: spec.options ?? {},
      permission: byArgs(spec.permission, defaultPermission(plugin, words)),
      effect: byArgs(spec.effect, 'write'),
    };
    this.commands.add(command);
    return command;
  }

  addListener(
    plugin: string,
    pattern: RegExp | ListenerMatcher,
    handler: Handler | ListenerSpec,
    addressedOnly: boolean,
  ): void {
    const spec: ListenerSpec = typeof handler === 'function' ? { run: handler } : handler;
    const id = spec.id ?? `${plugin}.${addressedOnly ? 'respond' : 'hear'}.${++this.listenerCount}`;
    const listener: RegisteredListener = {
      id,
      plugin,
      pattern,
      addressedOnly,
      fallback: spec.fallback ?? false,
      help: spec.help ?? [],
      permission: byArgs(spec.permission, id),
      effect: byArgs(spec.effect, 'read'),
      run: spec.run,
    };
    if (listener.fallback) this.fallbacks.push(listener);
    else this.listeners.add(listener);
  }

  addAction(plugin: string, id: string, spec: ActionSpec): void {
    if (this.actions.has(id)) throw new Error(`action "${id}" is already registered`);
    this.actions.set(id, {
      id,
      plugin,
      spec,
      permission: byArgs(spec.permission, id),
      effect: byArgs(spec.effect, 'write'),
    });
  }

  action(id: string): RegisteredAction | undefined {
    return this.actions.get(id);
  }

  /** Every registered button action, in registration order. */
  actionList(): RegisteredAction[] {
    return [...this.actions.values()];
  }

  /**
   * Resolves a line. Addressed lines go to the one matching command (longest word path); when none
   * matches, to `respond` and `hear` listeners; when none of those matches either, to "did you mean".
   * Lines not addressed to the bot only reach `hear` listeners.
   */
  resolve(text: string, addressed: boolean, incoming?: IncomingMessage): Route {
    if (addressed) {
      const match = this.commands.match(text);
      if (match) {
        const { command } = match;
        try {
          const args = parseArgs(match.rest, command.positionals, command.options);
          return { type: 'command', command, invocation: commandInvocation(command, args, text) };
        } catch (error) {
          if (error instanceof UsageError) {
            return { type: 'usage', command, error: error.message, usage: usageLine(command) };
          }
          throw error;
        }
      }
    }
    const matches = this.matchListeners(this.listeners.candidates(text), text, addressed, incoming);
    if (matches.length > 0) return { type: 'listeners', matches };
    const fallbacks = this.matchListeners(this.fallbacks, text, addressed, incoming);
    if (fallbacks.length > 0) return { type: 'listeners', matches: fallbacks };
    if (!addressed) return { type: 'none' };
    return { type: 'unknown', suggestions: suggestCommands(text, this.commandPaths()) };
  }

  /** Builds the invocation for a registered action with the args from its token. */
  actionInvocation(action: RegisteredAction, args: Record<string, unknown>): Invocation {
    const typed = args as Invocation['args'];
    return {
      kind: 'action',
      name: action.id,
      plugin: action.plugin,
      permission: action.permission(typed),
      effect: action.effect(typed),
      args: typed,
      text: action.id,
    };
  }

  commandPaths(): string[] {
    return this.commands.list().map((command) => command.path);
  }

  /**
   * Matches one listener by id against a line: an approved request runs the very listener it was
   * approved for, if it still matches.
   */
  resolveListener(
    id: string,
    text: string,
    incoming?: IncomingMessage,
  ): { listener: RegisteredListener; invocation: Invocation } | undefined {
    const listener = this.listeners.get(id) ?? this.fallbacks.find((fallback) => fallback.id === id);
    return listener ? this.matchListeners([listener], text, true, incoming)[0] : undefined;
  }

  /** Every listener with `help` lines. */
  documentedListeners(): RegisteredListener[] {
    return [...this.listeners.all(), ...this.fallbacks].filter((listener) => listener.help.length > 0);
  }

  private matchListeners(
    listeners: readonly RegisteredListener[],
    text: string,
    addressed: boolean,
    incoming: IncomingMessage | undefined,
  ) {
    const matches: { listener: RegisteredListener; invocation: Invocation }[] = [];
    for (const listener of listeners) {
      if (listener.addressedOnly && !addressed) continue;
      const match = matchListener(listener.pattern, text, incoming);
      if (!match) continue;
      const args = { ...(match.groups ?? {}) };
      matches.push({
        listener,
        invocation: {
          kind: 'listener',
          name: listener.id,
          plugin: listener.plugin,
          permission: listener.permission(args),
          effect: listener.effect(args),
          args,
          match,
          text,
        },
      });
    }
    return matches;
  }
}

function commandInvocation(command: RegisteredCommand, args: Invocation['args'], text: string): Invocation {
  return {
    kind: 'command',
    name: command.path,
    plugin: command.plugin,
    permission: command.permission(args),
    effect: command.effect(args),
    args,
    text,
  };
}

function matchListener(
  pattern: RegExp | ListenerMatcher,
  text: string,
  incoming: IncomingMessage | undefined,
): RegExpMatchArray | null | undefined {
  return pattern instanceof RegExp ? text.match(pattern) : pattern(text, incoming);
}
