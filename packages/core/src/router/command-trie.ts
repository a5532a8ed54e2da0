import type { RegisteredCommand } from './registered.js';

interface Node {
  command?: RegisteredCommand;
  children: Map<string, Node>;
}

/** The result of matching a line against the trie. */
export interface CommandMatch {
  command: RegisteredCommand;
  /** The line after the command words. */
  rest: string;
}

const LEADING_WORD = /^\s*(\S+)/;

/**
 * Commands keyed by their words: lookup walks at most as many nodes as the line has command words, so
 * dispatch cost does not depend on how many commands exist. The longest registered path wins.
 */
export class CommandTrie {
  private readonly root: Node = { children: new Map() };
  private readonly all = new Map<string, RegisteredCommand>();

  add(command: RegisteredCommand): void {
    if (this.all.has(command.path)) {
      const existing = this.all.get(command.path)!;
      throw new Error(
        `command "${command.path}" of plugin "${command.plugin}" is already registered by "${existing.plugin}"`,
      );
    }
    let node = this.root;
    for (const word of command.words) {
      let child = node.children.get(word);
      if (!child) {
        child = { children: new Map() };
        node.children.set(word, child);
      }
      node = child;
    }
    node.command = command;
    this.all.set(command.path, command);
  }

  /** Removes a command (e.g. of a plugin whose setup failed); its words stay as empty nodes. */
  remove(path: string): void {
    const command = this.all.get(path);
    if (!command) return;
    let node: Node | undefined = this.root;
    for (const word of command.words) node = node?.children.get(word);
    if (node?.command === command) node.command = undefined;
    this.all.delete(path);
  }

  match(line: string): CommandMatch | undefined {
    let node = this.root;
    let best: CommandMatch | undefined;
    let rest = line;
    for (;;) {
      const word = LEADING_WORD.exec(rest);
      if (!word) break;
      const child = node.children.get(word[1]!.toLowerCase());
      if (!child) break;
      node = child;
      rest = rest.slice(word[0].length);
      if (node.command) best = { command: node.command, rest };
    }
    return best;
  }

  get(path: string): RegisteredCommand | undefined {
    return this.all.get(path);
  }

  list(): RegisteredCommand[] {
    return [...this.all.values()];
  }

  get size(): number {
    return this.all.size;
  }
}
