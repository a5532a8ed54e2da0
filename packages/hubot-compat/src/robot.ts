import { EventEmitter } from 'node:events';
import { basename, extname, join } from 'node:path';
import type { Bot, Context, Handler, HelpEntry, ListenerSpec } from '@chatops/core';
import type { Express } from 'express';
import { Brain } from './brain.js';
import type { HubotConfig, ScriptEntry } from './config.js';
import { mountExpressRouter, nullRouter } from './express-router.js';
import { readCommandsBlock, sampleText, splitHelpLine } from './help-parser.js';
import { type HubotLogger, hubotLogger } from './hubot-logger.js';
import { IncomingMessages } from './incoming-messages.js';
import {
  type HubotListener,
  type ListenerKind,
  type ListenerOptions,
  newListener,
  respondPattern,
  type ScriptInfo,
  scriptName,
} from './listener-registry.js';
import { CatchAllMessage, type Message } from './message.js';
import { MiddlewareStack } from './middleware-stack.js';
import { type Envelope, Response, type ResponseContext, type SendMethod } from './response.js';
import { ScopedHttpClient } from './scoped-http-client.js';
import { importScript, resolvePackage, SCRIPT_EXTENSIONS, scriptFiles } from './script-loader.js';

/** What listener middleware gets. */
export interface ListenerContext {
  listener: { options: ListenerOptions; regex?: RegExp; id: string; permission: string };
  response: Response;
}

/** What receive middleware gets. */
export interface ReceiveContext {
  response: Response;
}

type Callback = (response: Response) => unknown;
type Matcher = (message: Message) => unknown;

/** How loading one `scripts` entry went. */
export interface ScriptStatus {
  name: string;
  source: string;
  loaded: boolean;
  error?: string;
  listeners: number;
}

const SCRIPT = Symbol('script');

/**
 * Hubot's `robot`, mapped onto the ChatOps robot: each listener a script adds becomes a listener of ours
 * with the permission `hubot.<script>.<id>` and its script's effect, so policy, approvals, rate limits
 * and audit apply to it as to any command. Each script gets a view of one shared robot that knows which
 * script it belongs to (see {@link HubotRobot.forScript}).
 */
export class HubotRobot {
  readonly name: string;
  alias: string | false = false;
  readonly version = '14-compat';
  readonly brain: Brain;
  readonly logger: HubotLogger;
  readonly events = new EventEmitter();
  readonly router: Express | ReturnType<typeof nullRouter>;
  readonly middleware: {
    listener: MiddlewareStack<ListenerContext>;
    response: MiddlewareStack<ResponseContext>;
    receive: MiddlewareStack<ReceiveContext>;
  };
  /** Lines of every loaded script's `Commands:` block (Hubot 10's `robot.commands`). */
  readonly helpStrings: string[] = [];
  readonly commands = this.helpStrings;
  readonly listeners: HubotListener[] = [];
  readonly scripts: ScriptStatus[] = [];
  readonly Response = Response;
  readonly adapter: Record<string, unknown>;
  private readonly errorHandlers: ((error: Error, response?: Response) => void)[] = [];
  private readonly incoming: IncomingMessages;
  private readonly requests = new WeakMap<Message, Context>();
  /** `robot.loadFile` calls still running: packages such as hubot-rules do not await them. */
  private readonly pendingLoads = new Set<Promise<unknown>>();
  private [SCRIPT]: ScriptInfo | undefined;

  constructor(
    private readonly bot: Bot,
    private readonly config: HubotConfig,
  ) {
    this.name = bot.name;
    this.logger = hubotLogger(bot.log);
    this.brain = new Brain(bot.store, (error) =>
      this.logger.error(`the brain could not be saved: ${String(error)}`),
    );
    const onError = (error: unknown, context: { response?: Response }) =>
      this.emit('error', error, context.response);
    this.middleware = {
      listener: new MiddlewareStack<ListenerContext>(onError),
      response: new MiddlewareStack<ResponseContext>(onError),
      receive: new MiddlewareStack<ReceiveContext>(onError),
    };
    this.router = bot.http ? mountExpressRouter(bot.http, config.httpPrefix, bot.log) : nullRouter(bot.log);
    this.adapter = {
      name: 'chatops',
      send: (envelope: Envelope, ...strings: string[]) => this.send(envelope, ...strings),
      reply: (envelope: Envelope, ...strings: string[]) => this.reply(envelope, ...strings),
      emote: (envelope: Envelope, ...strings: string[]) => this.deliver('emote', envelope, strings),
      topic: (envelope: Envelope, ...strings: string[]) => this.deliver('topic', envelope, strings),
    };
    this.events.on('error', (error: Error, response?: Response) => this.invokeErrorHandlers(error, response));
    this.incoming = new IncomingMessages(this.brain, (message) =>
      this.middleware.receive.execute({ response: new Response(this, message) }),
    );
  }

  /** The platform of the active adapter (`shell`, `slack`, `mattermost`), once a message arrived. */
  get adapterName(): string {
    return this.incoming.platform ?? 'chatops';
  }

  /** A view of this robot for one script: listeners it adds carry the script's name and effect. */
  forScript(script: ScriptInfo): HubotRobot {
    return new Proxy(this, {
      get: (target, property) => (property === SCRIPT ? script : Reflect.get(target, property)),
      // Scripts share state through the robot (`robot.auth = …`): properties set on a view land on the robot.
      set: (target, property, value) => Reflect.set(target, property, value),
    });
  }

  // --- listeners ---------------------------------------------------------------------------------

  respond(regex: RegExp, options: ListenerOptions | Callback, callback?: Callback): void {
    this.addListener('respond', regex, options, callback);
  }

  hear(regex: RegExp, options: ListenerOptions | Callback, callback?: Callback): void {
    this.addListener('hear', regex, options, callback);
  }

  listen(matcher: Matcher, options: ListenerOptions | Callback, callback?: Callback): void {
    this.addListener('listen', matcher, options, callback);
  }

  catchAll(options: ListenerOptions | Callback, callback?: Callback): void {
    this.addListener('catchAll', undefined, options, callback);
  }

  /** Accepted; never called, because no adapter of this robot reports people joining a room. */
  enter(options: ListenerOptions | Callback, callback?: Callback): void {
    this.addListener('enter', undefined, options, callback);
  }

  /** Accepted; never called, because no adapter of this robot reports people leaving a room. */
  leave(options: ListenerOptions | Callback, callback?: Callback): void {
    this.addListener('leave', undefined, options, callback);
  }

  /** Accepted; never called, because no adapter of this robot reports topic changes. */
  topic(options: ListenerOptions | Callback, callback?: Callback): void {
    this.addListener('topic', undefined, options, callback);
  }

  error(callback: (error: Error, response?: Response) => void): void {
    this.errorHandlers.push(callback);
  }

  listenerMiddleware(middleware: (context: ListenerContext) => unknown): void {
    this.middleware.listener.register(middleware);
  }

  responseMiddleware(middleware: (context: ResponseContext) => unknown): void {
    this.middleware.response.register(middleware);
  }

  receiveMiddleware(middleware: (context: ReceiveContext) => unknown): void {
    this.middleware.receive.register(middleware);
  }

  // --- sending -------------------------------------------------------------------------------------

  send(envelope: Envelope, ...strings: string[]): Promise<void> {
    return this.deliver('send', envelope, strings);
  }

  reply(envelope: Envelope, ...strings: string[]): Promise<void> {
    return this.deliver('reply', envelope, strings);
  }

  messageRoom(room: string, ...strings: string[]): Promise<void> {
    return this.deliver('send', { room }, strings);
  }

  /** @internal Response's hook into `responseMiddleware`. */
  runResponseMiddleware(context: ResponseContext): Promise<boolean> {
    return this.middleware.response.execute(context);
  }

  /**
   * @internal Posts strings: in the conversation (and thread) of the request the envelope's message
   * belongs to, or to the envelope's room. Each string is one message; adapters escape it.
   */
  async deliver(method: SendMethod, envelope: Envelope, strings: string[]): Promise<void> {
    if (method === 'topic') {
      this.logger.warn('a Hubot script tried to set a topic; this robot does not change topics');
      return;
    }
    const ctx = envelope.message ? this.requests.get(envelope.message) : undefined;
    const room = envelope.room ?? envelope.user?.room;
    try {
      for (const text of strings.map((string) => formatted(method, envelope, String(string)))) {
        if (ctx) await ctx.reply(text);
        else if (room) await this.bot.send(room, text);
        else throw new Error('a Hubot script sent a message without a room');
      }
    } catch (error) {
      this.logger.error(`a Hubot script's message was not sent: ${(error as Error).message}`);
      throw error;
    }
  }

  // --- services ------------------------------------------------------------------------------------

  http(url: string, _options?: unknown): ScopedHttpClient {
    return new ScopedHttpClient(url, (error) =>
      this.logger.error(`robot.http request failed: ${error.message}`),
    ).header('User-Agent', `Hubot/${this.version}`);
  }

  on(event: string, listener: (...args: unknown[]) => void): void {
    this.events.on(event, listener);
  }

  emit(event: string, ...args: unknown[]): void {
    this.events.emit(event, ...args);
  }

  helpCommands(): string[] {
    return [...this.helpStrings].sort();
  }

  /** Scripts may not stop the robot; the call is logged and ignored. */
  shutdown(): void {
    this.logger.warn('a Hubot script called robot.shutdown(); ignored (stop the robot itself instead)');
  }

  // --- loading -------------------------------------------------------------------------------------

  /** Loads one script file from `dir` (as packages such as hubot-rules do). Never rejects: failures are logged. */
  loadFile(dir: string, file: string): Promise<unknown> {
    const load = this.loadFileNow(dir, file);
    this.pendingLoads.add(load);
    void load.finally(() => this.pendingLoads.delete(load));
    return load;
  }

  private async loadFileNow(dir: string, file: string): Promise<unknown> {
    const full = join(dir, basename(file));
    if (!SCRIPT_EXTENSIONS.has(extname(full))) {
      this.logger.debug(`Skipping unsupported file type ${full}`);
      return null;
    }
    try {
      return await this.runScriptFile(full);
    } catch (error) {
      this.logger.error(`Unable to load ${full}: ${(error as Error).message}`);
      return null;
    }
  }

  /** Loads every script file of a folder (relative to the config file). */
  async load(path: string): Promise<void> {
    for (const file of await scriptFiles(path, this.bot.configDir).catch(() => [])) {
      await this.loadFile(join(file, '..'), basename(file));
    }
  }

  /** Loads npm packages of scripts into the calling script. */
  async loadExternalScripts(packages: string[] | Record<string, unknown>): Promise<void> {
    const entries = Array.isArray(packages)
      ? packages.map((name) => [name, undefined] as const)
      : Object.entries(packages);
    for (const [name, scripts] of entries) {
      const main = resolvePackage(name, this.bot.configDir);
      await this.runScriptFile(main, scripts);
    }
  }

  /** @internal Loads the configured `scripts` entries, each contained: one that fails is reported and skipped. */
  async loadScripts(entries: ScriptEntry[], configDir: string): Promise<void> {
    for (const entry of entries) {
      const script: ScriptInfo = { name: scriptName(entry), effect: entry.effect, listeners: [] };
      const source = entry.module ?? entry.path!;
      const view = this.forScript(script);
      try {
        const files = entry.module
          ? [resolvePackage(entry.module, configDir)]
          : await scriptFiles(entry.path!, configDir);
        for (const file of files) await view.runScriptFile(file);
        while (this.pendingLoads.size > 0) await Promise.all([...this.pendingLoads]);
        this.scripts.push({ name: script.name, source, loaded: true, listeners: script.listeners.length });
      } catch (error) {
        const message = (error as Error).message;
        this.logger.error(`Hubot script "${source}" failed to load: ${message}`);
        this.scripts.push({
          name: script.name,
          source,
          loaded: false,
          error: message,
          listeners: script.listeners.length,
        });
      }
    }
  }

  private async runScriptFile(file: string, scripts?: unknown): Promise<unknown> {
    const script = this.currentScript();
    const before = script.listeners.length;
    const exported = await importScript(file);
    if (typeof exported !== 'function') {
      throw new Error(`${file} does not export a function of robot (module.exports = (robot) => …)`);
    }
    const result = await (exported as (robot: HubotRobot, scripts?: unknown) => unknown)(this, scripts);
    await this.parseHelp(file, script, before);
    return result;
  }

  /** Reads the file's `Commands:` lines into `helpStrings` and onto the listeners they describe. */
  private async parseHelp(file: string, script: ScriptInfo, firstListener: number): Promise<void> {
    const lines = await readCommandsBlock(file);
    const fromFile = script.listeners.slice(firstListener).filter((listener) => listener.kind !== 'enter');
    for (const line of lines) {
      this.helpStrings.push(line.replace(/^hubot\b/i, this.name));
      const entry: HelpEntry = splitHelpLine(line);
      const sample = sampleText(entry.usage);
      const documented =
        fromFile.find((listener) => listener.regex?.test(sample)) ?? fromFile[0] ?? script.listeners[0];
      documented?.help.push(entry);
    }
  }

  private currentScript(): ScriptInfo {
    const script = this[SCRIPT];
    if (!script) throw new Error('a Hubot script used the robot outside of its own script');
    return script;
  }

  // --- dispatch ------------------------------------------------------------------------------------

  private addListener(
    kind: ListenerKind,
    matcher: RegExp | Matcher | undefined,
    optionsOrCallback: ListenerOptions | Callback,
    maybeCallback?: Callback,
  ): void {
    const callback = (
      typeof optionsOrCallback === 'function' ? optionsOrCallback : maybeCallback
    ) as Callback;
    const options: ListenerOptions =
      typeof optionsOrCallback === 'function' ? {} : { ...(optionsOrCallback ?? {}) };
    if (typeof callback !== 'function') throw new Error(`Missing a callback for ${kind} listener`);
    if ((kind === 'respond' || kind === 'hear') && !(matcher instanceof RegExp)) {
      throw new Error(`robot.${kind} needs a regular expression`);
    }
    const regex =
      kind === 'respond'
        ? respondPattern(matcher as RegExp)
        : kind === 'hear'
          ? (matcher as RegExp)
          : undefined;
    const listener = newListener(this.currentScript(), kind, options, regex);
    this.listeners.push(listener);
    const spec: ListenerSpec = {
      id: listener.permission,
      permission: listener.permission,
      effect: listener.effect,
      help: listener.help,
      fallback: kind === 'catchAll',
      run: this.handler(listener, callback, kind === 'listen' ? (matcher as Matcher) : undefined),
    };
    if (kind === 'respond') this.bot.respond(regex!, spec);
    else if (kind === 'hear') this.bot.hear(regex!, spec);
    else if (kind === 'catchAll') this.bot.respond(/[\s\S]*/, spec);
    else if (kind === 'listen') {
      this.bot.hear((text, incoming) => {
        const match = (matcher as Matcher)(this.incoming.message(incoming, text));
        return match ? asMatchArray(match, text) : null;
      }, spec);
    } else {
      this.logger.debug(`robot.${kind} listener registered; no adapter of this robot reports ${kind} events`);
    }
  }

  private handler(listener: HubotListener, callback: Callback, matcher?: Matcher): Handler {
    return async (ctx) => {
      const incoming = ctx.incoming.type === 'message' ? ctx.incoming : undefined;
      const state = this.incoming.state(incoming, ctx.invocation.text);
      if (!(await state.received) || state.message.done) return;
      const message = listener.kind === 'catchAll' ? new CatchAllMessage(state.message) : state.message;
      const match = matcher ? matcher(message) : ctx.invocation.match;
      const response = new Response(this, message, match);
      this.requests.set(message, ctx);
      const { id, permission, options, regex } = listener;
      if (
        !(await this.middleware.listener.execute({ listener: { id, permission, options, regex }, response }))
      )
        return;
      try {
        await callback(response);
      } catch (error) {
        this.emit('error', error, response);
        throw error;
      } finally {
        await response.settled();
      }
    };
  }

  private invokeErrorHandlers(error: Error, response?: Response): void {
    this.logger.error(`a Hubot script failed: ${error?.stack ?? String(error)}`);
    for (const handler of this.errorHandlers) {
      try {
        handler(error, response);
      } catch (handlerError) {
        this.logger.error(`while invoking error handler: ${String(handlerError)}`);
      }
    }
  }
}

function formatted(method: SendMethod, envelope: Envelope, text: string): string {
  if (method === 'reply' && envelope.user) return `${envelope.user.name}: ${text}`;
  if (method === 'emote') return `_${text}_`;
  return text;
}

/** A `listen` matcher may return any truthy value; the router wants a match array. */
function asMatchArray(match: unknown, text: string): RegExpMatchArray {
  if (Array.isArray(match)) return match as RegExpMatchArray;
  return Object.assign([text], { index: 0, input: text }) as RegExpMatchArray;
}
