import type { Invocation } from '../context.js';
import { parseDuration } from '../duration.js';
import type { ActionSpec, CommandSpec, ListenerSpec } from '../plugin.js';
import { UsageError } from '../plugin.js';
import { parsePositionals } from './arg-spec.js';
import { CommandTrie } from './command-trie.js';
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
  private readonly listeners: RegisteredListener[] = [];
  private readonly actions = new Map<string, RegisteredAction>();
  /** Listeners registered so far per plugin, for default listener ids that load order cannot change. */
  private readonly listenerCounts = new Map<string, number>();

  addCommand(plugin: string, spec: CommandSpec): RegisteredCommand {
    const words = commandWords(spec.name);
    if (words.length === 0) throw new Error(`plugin "${plugin}": a command needs a name`);
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
  addListener(plugin: string, pattern: RegExp, spec: ListenerSpec, addressedOnly: boolean): string {
    const kind = addressedOnly ? 'respond' : 'hear';
    if (typeof spec !== 'object' || spec === null || typeof spec.run !== 'function') {
      throw new Error(`plugin "${plugin}": bot.${kind}(${pattern}) needs a spec { effect, run }`);
    }
    if (spec.effect === undefined) {
      throw new Error(
        `plugin "${plugin}": listener ${spec.id ?? String(pattern)} needs an effect ('read' or 'write')`,
      );
    }
    const count = (this.listenerCounts.get(plugin) ?? 0) + 1;
    this.listenerCounts.set(plugin, count);
    const id = spec.id ?? `${plugin}.listener.${count}`;
    if (this.listeners.some((listener) => listener.id === id)) {
      throw new Error(`plugin "${plugin}": listener "${id}" is already registered`);
    }
    this.listeners.push({
      id,
      plugin,
      pattern,
      addressedOnly,
      permission: byArgs(spec.permission, id),
      effect: byArgs(spec.effect, 'write'),
      run: spec.run,
    });
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
      const index = this.listeners.findIndex((listener) => listener.id === registration.id);
      if (index >= 0) this.listeners.splice(index, 1);
    }
  }

  action(id: string): RegisteredAction | undefined {
    return this.actions.get(id);
  }

  /**
   * Resolves a line. Addressed lines go to the one matching command (longest word path); when none
   * matches, to `respond` and `hear` listeners; when none of those matches either, it is unknown.
   * Lines not addressed to the bot only reach `hear` listeners.
   */
  resolve(text: string, addressed: boolean): Route {
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
    const matches = this.matchListeners(text, addressed);
    if (matches.length > 0) return { type: 'listeners', matches };
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

  private matchListeners(text: string, addressed: boolean) {
    const matches: { listener: RegisteredListener; invocation: Invocation }[] = [];
    for (const listener of this.listeners) {
      if (listener.addressedOnly && !addressed) continue;
      const match = text.match(listener.pattern);
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
