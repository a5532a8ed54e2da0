import { userInfo } from 'node:os';
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { z } from 'zod';
import type { Adapter, AdapterHost, AdapterModule, OutgoingMessage } from '../chat/adapter.js';
import type { RenderedAction, RenderedCard } from '../chat/card.js';
import type { ChatUser, Conversation, IncomingMessage, MessageRef } from '../chat/incoming.js';
import { clean, renderForTerminal } from './shell-render.js';

/** Options of the shell adapter (the CLI sets them; config has `shell: { user, channel }`). */
export interface ShellAdapterOptions {
  input?: Readable;
  output?: Writable;
  /** Local user name; defaults to `shell.user`, then the OS user. */
  user?: string;
  /** Read lines from input (false for `chatops run`, which sends one command itself). */
  listen?: boolean;
  /** Called when input ends (EOF on piped stdin, Ctrl-D). */
  onEnd?: () => void;
  /** Called with the adapter once created (the CLI's `run` uses it to send its one command). */
  onCreate?: (adapter: ShellAdapter) => void;
}

const shellConfig = z
  .object({ user: z.string().optional(), channel: z.string().default('shell') })
  .prefault({});

/** The built-in terminal adapter: a REPL, or one line per stdin line when piped. */
export function createShellAdapterModule(
  options: ShellAdapterOptions = {},
): AdapterModule<z.output<typeof shellConfig>> {
  return {
    name: 'shell',
    config: shellConfig,
    create: (host, config) => {
      const adapter = new ShellAdapter(
        host,
        { ...options, user: options.user ?? config.user },
        config.channel,
      );
      options.onCreate?.(adapter);
      return adapter;
    },
  };
}

/** What `:as` and `--as` accept as a local user name. */
const LOCAL_USER = /^[\w.@-]{1,64}$/;

/** Clickable buttons remembered; older numbers answer "There is no button". */
const MAX_BUTTONS = 1000;

/** A chat in the terminal. Buttons are numbered; typing `!N` clicks one. */
export class ShellAdapter implements Adapter {
  readonly platform = 'shell';
  private readonly output: Writable;
  private user: ChatUser;
  private readonly conversation: Conversation;
  private readonly color: boolean;
  private readonly buttons = new Map<number, { action: RenderedAction; ref: MessageRef }>();
  private nextButton = 1;
  private nextMessage = 1;
  private readline?: Interface;
  private ready = false;
  private pendingConfirm?: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly host: AdapterHost,
    private readonly options: ShellAdapterOptions,
    channel: string,
  ) {
    this.output = options.output ?? process.stdout;
    const name = options.user ?? safeUserName();
    this.user = { id: name, name };
    this.conversation = { id: channel, name: channel, kind: 'dm' };
    this.color = Boolean((this.output as NodeJS.WriteStream).isTTY) && !process.env['NO_COLOR'];
  }

  async start(): Promise<void> {
    this.ready = true;
    if (this.options.listen === false) return;
    const input = this.options.input ?? process.stdin;
    const interactive = Boolean((input as NodeJS.ReadStream).isTTY);
    this.readline = createInterface({
      input,
      output: interactive ? this.output : undefined,
      terminal: interactive,
      historySize: 500,
    });
    this.readline.setPrompt(`${this.host.robotName}> `);
    if (interactive) {
      this.write(
        `${this.host.robotName} is listening as ${this.user.name}. Type \`help\`; \`!N\` clicks button N; \`:as NAME\` acts as another local user; Ctrl-D quits.`,
      );
      this.readline.prompt();
    }
    this.readline.on('line', (line) => {
      this.queue = this.queue
        .then(() => this.handleLine(line))
        .then(() => {
          if (interactive) this.readline?.prompt();
        });
    });
    this.readline.on('close', () => {
      void this.queue.then(() => this.options.onEnd?.());
    });
  }

  async stop(): Promise<void> {
    this.ready = false;
    this.readline?.close();
  }

  isReady(): boolean {
    return this.ready;
  }

  /** Sends one command line as the shell user (used by `chatops run`). */
  say(text: string) {
    return this.host.receive(this.message(text));
  }

  async send(message: OutgoingMessage): Promise<MessageRef> {
    const ref: MessageRef = {
      platform: this.platform,
      conversationId: message.conversation.id,
      id: String(this.nextMessage++),
    };
    const prefix = message.privateTo
      ? '(only you) '
      : message.conversation.id !== this.conversation.id
        ? `(#${message.conversation.name ?? message.conversation.id}) `
        : '';
    this.write(prefix + this.render(message.card, ref));
    return ref;
  }

  async update(ref: MessageRef, card: RenderedCard): Promise<void> {
    this.write(`(updated message ${ref.id}) ${this.render(card, ref)}`);
  }

  async resolveConversation(name: string): Promise<Conversation> {
    if (name.startsWith('@')) return { id: name.slice(1), name, kind: 'dm' };
    const bare = name.replace(/^#/, '');
    return { id: bare, name: bare, kind: 'channel' };
  }

  async lookupUser(id: string): Promise<ChatUser | undefined> {
    return id === this.user.id ? this.user : undefined;
  }

  private async handleLine(line: string): Promise<void> {
    const text = line.trim();
    if (!text) return;
    if (this.pendingConfirm !== undefined) {
      const number = this.pendingConfirm;
      this.pendingConfirm = undefined;
      if (/^y(es)?$/i.test(text)) return this.click(number, true);
      this.write('Cancelled.');
      return;
    }
    const click = /^!(\d+)$/.exec(text);
    if (click) return this.click(Number(click[1]), false);
    if (text.startsWith(':')) return this.shellCommand(text);
    await this.host.receive(this.message(text));
  }

  /**
   * Lines starting with `:` are for the terminal, not the bot (no command word may start with `:`):
   * `:as NAME` acts as another local user from the next line on, so approvals can be tried alone.
   */
  private shellCommand(text: string): void {
    const [command, ...rest] = text.slice(1).trim().split(/\s+/);
    if (command !== 'as' || rest.length > 1) {
      this.write(`Unknown shell command "${clean(text)}". \`:as NAME\` acts as another local user.`);
      return;
    }
    const name = rest[0];
    if (name === undefined) {
      this.write(`You are ${this.user.name} (shell:${this.user.id}). \`:as NAME\` switches.`);
      return;
    }
    if (!LOCAL_USER.test(name)) {
      this.write(`"${clean(name)}" is not a local user name (letters, digits, ".", "_", "-", "@").`);
      return;
    }
    this.user = { id: name, name };
    this.write(`Now acting as ${name} (shell:${name}).`);
  }

  private async click(number: number, confirmed: boolean): Promise<void> {
    const button = this.buttons.get(number);
    if (!button) {
      this.write(`There is no button !${number}.`);
      return;
    }
    if (button.action.confirm && !confirmed) {
      this.pendingConfirm = number;
      this.write(
        `${button.action.confirm.text} Type "yes" to ${button.action.confirm.ok ?? 'confirm'}, anything else cancels.`,
      );
      return;
    }
    await this.host.receive({
      type: 'action',
      platform: this.platform,
      user: this.user,
      conversation: {
        id: button.ref.conversationId,
        name: button.ref.conversationId,
        kind: button.ref.conversationId === this.conversation.id ? 'dm' : 'channel',
      },
      token: button.action.token,
      message: button.ref,
    });
  }

  private message(text: string): IncomingMessage {
    return {
      type: 'message',
      platform: this.platform,
      user: this.user,
      conversation: this.conversation,
      text,
      addressed: true,
    };
  }

  private render(card: RenderedCard, ref: MessageRef): string {
    const numbers = card.actions.map((action) => {
      const number = this.nextButton++;
      this.buttons.set(number, { action, ref });
      // Keep the latest buttons only: a long session would otherwise keep every card it ever showed.
      if (this.buttons.size > MAX_BUTTONS) this.buttons.delete(number - MAX_BUTTONS);
      return number;
    });
    return renderForTerminal(card, numbers, this.color);
  }

  private write(text: string): void {
    this.output.write(`${text}\n`);
  }
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env['USER'] ?? 'local';
  }
}
