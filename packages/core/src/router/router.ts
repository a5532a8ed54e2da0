import type { IncomingMessage } from '../chat/incoming.js';
import type { Invocation } from '../pipeline/context.js';
import type { ActionSpec, CommandSpec, ListenerMatcher, ListenerSpec } from '../plugins/plugin.js';
import { UsageError } from '../plugins/plugin.js';
import { parseDuration } from '../shared/duration.js';
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
import { usageLine } from './usage.js';

/** Something a plugin registered on the router. */
export type Registration =
  | { type: 'command'; path: string }
  | { type: 'action'; id: string }
  | { type: 'listener'; id: string };

/** What a line of chat resolves to. */
export type Route =
  | { type: 'command'; command: RegisteredCommand; invocation: Invocation }
  | { type: 'usage'; command: RegisteredCommand; error: string; usage: string }
  | { type: 'listeners'; matches: { listener: RegisteredListener; invocation: Invocation }[] }
  | { type: 'unknown' }
  | { type: 'none' };

/** Commands (indexed by words), regex listeners (a lower tier) and button actions. */
export class Router {
  readonly commands = new CommandTrie();
  readonly listeners = new ListenerIndex();
  private readonly fallbacks: RegisteredListener[] = [];
  private readonly actions = new Map<string, RegisteredAction>();
  /** Listeners registered so far per plugin, for default listener ids that load order cannot change. */
  private readonly listenerCounts = new Map<string, number>();

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

  /** Adds a regex listener; returns its id. */
  addListener(
    plugin: string,
    pattern: RegExp | ListenerMatcher,
    spec: ListenerSpec,
    addressedOnly: boolean,
  ): string {
    const kind = addressedOnly ? 'respond' : 'hear';
    const shown = pattern instanceof RegExp ? String(pattern) : 'a matcher';
    if (typeof spec !== 'object' || spec === null || typeof spec.run !== 'function') {
      throw new Error(`plugin "${plugin}": bot.${kind}(${shown}) needs a spec { effect, run }`);
    }
    if (spec.effect === undefined) {
      throw new Error(`plugin "${plugin}": listener ${spec.id ?? shown} needs an effect ('read' or 'write')`);
    }
    const count = (this.listenerCounts.get(plugin) ?? 0) + 1;
    this.listenerCounts.set(plugin, count);
    const id = spec.id ?? `${plugin}.listener.${count}`;
    if (this.listeners.get(id) || this.fallbacks.some((listener) => listener.id === id)) {
      throw new Error(`plugin "${plugin}": listener "${id}" is already registered`);
    }
    const listener: RegisteredListener = {
      id,
      plugin,
      pattern,
      addressedOnly,
      fallback: spec.fallback ?? false,
      help: spec.help ?? [],
      permission: byArgs(spec.permission, id),
      effect: byArgs(spec.effect, 'write'),
      run: spec.run,
    };
    if (listener.fallback) this.fallbacks.push(listener);
    else this.listeners.add(listener);
    return id;
  }

  addAction(plugin: string, id: string, spec: ActionSpec): void {
    if (this.actions.has(id)) throw new Error(`action "${id}" is already registered`);
    if (spec.ttl !== undefined && !((parseDuration(spec.ttl) ?? 0) > 0)) {
      throw new Error(`action "${id}": ttl "${spec.ttl}" is not a positive duration (try 15m, 1h, 7d)`);
    }
    this.actions.set(id, {
      id,
      plugin,
      spec,
      permission: byArgs(spec.permission, id),
      effect: byArgs(spec.effect, 'write'),
    });
  }

  /** Removes a command, action or listener (of a plugin whose setup failed). */
  remove(registration: Registration): void {
    if (registration.type === 'command') this.commands.remove(registration.path);
    else if (registration.type === 'action') this.actions.delete(registration.id);
    else {
      this.listeners.remove(registration.id);
      const index = this.fallbacks.findIndex((listener) => listener.id === registration.id);
      if (index >= 0) this.fallbacks.splice(index, 1);
    }
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
   * matches, to `respond` and `hear` listeners; when none of those matches either, it is unknown.
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
    return { type: 'unknown' };
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
