import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallLog, type RecordedCall } from './call-log.js';
import { EmulatorHttp } from './emulator-http.js';
import { HttpDeliverer } from './http-delivery.js';
import { type HttpModePaths, SlackHttpModeClient } from './http-mode-client.js';
import {
  appMentionEvent,
  blockActionsPayload,
  escapeSlackText,
  eventCallback,
  messageChangedEvent,
  messageEvent,
  slashCommandPayload,
} from './payloads.js';
import { type ResponseUrl, ResponseUrls } from './response-urls.js';
import { ALL_BOT_SCOPES } from './scopes.js';
import {
  type Delivery,
  type DeliveryOutcome,
  type DisconnectReason,
  type EnvelopeType,
  SocketModeServer,
  type SocketModeTiming,
} from './socket-mode-server.js';
import { buttonLabels, findButton } from './stored-blocks.js';
import type { EmulatorTokens } from './token-check.js';
import { WebApiMethods } from './web-api-methods.js';
import type { EmulatedChannel, EmulatedMessage, EmulatedUser } from './workspace.js';
import { Workspace } from './workspace.js';

/** Options of {@link SlackEmulator.start}. */
export interface SlackEmulatorOptions {
  /** The bot user's name (default `opsbot`). */
  botName?: string;
  botToken?: string;
  appToken?: string;
  signingSecret?: string;
  /** Granted bot scopes (default: all the adapter needs). */
  scopes?: string[];
  /** Send the app `message` events for its own posts, as Slack does (default true). */
  echoBotMessages?: boolean;
  /** Protocol timing; defaults are Slack's (3 s ack, retries after 0 s, 1 min, 5 min). */
  timing?: Partial<SocketModeTiming>;
}

/** What an injected user action produced. */
export interface Injection {
  /** The message stored in the channel (for messages). */
  message?: EmulatedMessage;
  /** Deliveries to the app (a mention in a channel produces `message` and `app_mention`). */
  deliveries: Delivery[];
  /** The response_url handed out (slash commands and clicks). */
  responseUrl?: ResponseUrl;
  /** Waits until every delivery was acked (or given up on). */
  settled(): Promise<DeliveryOutcome[]>;
}

const DEFAULT_TIMING: SocketModeTiming = {
  ackTimeoutMs: 3000,
  retryDelaysMs: [0, 60_000, 300_000],
  closeAfterDisconnectMs: 10_000,
  serverPingIntervalMs: 0,
};

/**
 * A local Slack: Web API (`/api/<method>`), Socket Mode (`apps.connections.open` → WebSocket), response
 * URLs, file uploads and a signing HTTP-mode client, on 127.0.0.1. Records every call for assertions.
 */
export class SlackEmulator {
  readonly workspace: Workspace;
  readonly tokens: EmulatorTokens;
  readonly signingSecret: string;
  readonly socket: SocketModeServer;
  readonly log = new CallLog();
  readonly scopes: Set<string>;
  /** Send the app `message` events for its own posts. */
  echoBotMessages: boolean;
  private readonly methods: WebApiMethods;
  private readonly responseUrls: ResponseUrls;
  private readonly server: Server;
  private readonly endpoints: EmulatorHttp;
  private http?: HttpDeliverer;
  private port = 0;

  private constructor(options: SlackEmulatorOptions) {
    this.workspace = new Workspace(options.botName ?? 'opsbot');
    this.tokens = {
      bot: options.botToken ?? 'xoxb-emulator-bot-token',
      app: options.appToken ?? 'xapp-1-emulator-app-token',
    };
    this.signingSecret = options.signingSecret ?? 'emulator-signing-secret';
    this.scopes = new Set(options.scopes ?? ALL_BOT_SCOPES);
    this.echoBotMessages = options.echoBotMessages ?? true;
    this.socket = new SocketModeServer(this.workspace.ids, this.log, this.workspace.app.appId, {
      ...DEFAULT_TIMING,
      ...options.timing,
    });
    this.methods = new WebApiMethods(this.workspace, {
      messagePosted: (message) => this.echo(message),
      messageUpdated: (message) => {
        if (this.echoBotMessages) this.deliverEvent(messageChangedEvent(this.workspace, message));
      },
      baseUrl: () => this.url,
      hasScope: (scope) => this.scopes.has(scope),
    });
    this.responseUrls = new ResponseUrls(
      this.workspace,
      () => this.url,
      (message) => this.echo(message),
    );
    this.endpoints = new EmulatorHttp({
      workspace: this.workspace,
      tokens: this.tokens,
      scopes: this.scopes,
      log: this.log,
      methods: this.methods,
      responseUrls: this.responseUrls,
      socket: this.socket,
      baseUrl: () => this.url,
    });
    this.server = createServer((request, response) => {
      this.endpoints.route(request, response).catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
        response.end(error instanceof Error ? error.message : 'error');
      });
    });
    this.server.on('upgrade', (request, socket, head) => this.socket.handleUpgrade(request, socket, head));
    // Node's default (5 s): undici keeps a connection only when the server's keep-alive timeout exceeds 2 s.
    this.server.keepAliveTimeout = 5000;
  }

  /** Starts an emulator on 127.0.0.1 (a free port), seeded with users `alice`, `bob` and channels `#general`, `#ops`. */
  static async start(options: SlackEmulatorOptions = {}): Promise<SlackEmulator> {
    const emulator = new SlackEmulator(options);
    emulator.workspace.addUser({ name: 'alice', email: 'alice@example.com', realName: 'Alice Example' });
    emulator.workspace.addUser({ name: 'bob', email: 'bob@example.com', realName: 'Bob Example' });
    emulator.workspace.addChannel({ name: 'general' });
    emulator.workspace.addChannel({ name: 'ops' });
    await new Promise<void>((resolve) => emulator.server.listen(0, '127.0.0.1', resolve));
    emulator.port = (emulator.server.address() as AddressInfo).port;
    return emulator;
  }

  /** `http://127.0.0.1:<port>` */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The Web API base URL (`slack.apiUrl`): `http://127.0.0.1:<port>/api/`. */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  /** The bot's identity: `userId` (`U…`), `botId` (`B…`), `appId`, `teamId`. */
  get app() {
    return this.workspace.app;
  }

  /** Every recorded call. */
  get calls(): RecordedCall[] {
    return this.log.calls;
  }

  /** Recorded calls of one method (`chat.postMessage`, `response_url`, `file.upload`, …). */
  callsTo(method: string): RecordedCall[] {
    return this.log.of(method);
  }

  /** Waits for calls of `method` (bounded; rejects after `timeoutMs`, default 5 s). */
  waitForCall(
    method: string,
    options: { count?: number; match?: (call: RecordedCall) => boolean; timeoutMs?: number } = {},
  ): Promise<RecordedCall[]> {
    return this.log.waitFor(method, options);
  }

  /** Waits until `check()` holds (re-checked on every call, ack and connection change). */
  waitUntil(check: () => boolean, description: string, timeoutMs = 5000): Promise<void> {
    return this.log.until(check, description, timeoutMs);
  }

  /** Waits until `count` Socket Mode connections were opened in total (default: at least one open now). */
  waitForConnection(count?: number, timeoutMs = 10_000): Promise<void> {
    return count === undefined
      ? this.waitUntil(() => this.socket.connectionCount > 0, 'a Socket Mode connection', timeoutMs)
      : this.waitUntil(() => this.socket.opened >= count, `${count} Socket Mode connections`, timeoutMs);
  }

  /** Answers the next `times` calls of `method` with HTTP 429 and `Retry-After: retryAfter` seconds. */
  rateLimit(method: string, options: { times?: number; retryAfter?: number } = {}): void {
    this.endpoints.rateLimit(method, options.times ?? 1, options.retryAfter ?? 1);
  }

  /** Answers the next `times` calls of `method` with `{"ok":false,"error":error}` (HTTP 200, as Slack does). */
  failNext(method: string, error: string, times = 1): void {
    this.endpoints.failNext(method, error, times);
  }

  /** Sends `disconnect` with `reason` to every Socket Mode connection. */
  disconnect(reason: DisconnectReason = 'refresh_requested'): void {
    this.socket.disconnect(reason);
  }

  /** Drops every Socket Mode socket without a close frame. */
  dropConnections(): void {
    this.socket.dropConnections();
  }

  /**
   * Delivers to the app over HTTP from now on (Request URLs at `baseUrl` + paths), signing every
   * request with the signing secret, instead of over Socket Mode.
   */
  useHttpMode(baseUrl: string, paths?: Partial<HttpModePaths>): SlackHttpModeClient {
    const client = new SlackHttpModeClient({
      baseUrl,
      signingSecret: this.signingSecret,
      ...(paths ? { paths } : {}),
    });
    this.http = new HttpDeliverer(client, this.log, this.socket.timing.retryDelaysMs);
    return client;
  }

  /** Adds a user. */
  addUser(user: { name: string; email?: string; isBot?: boolean; realName?: string }): EmulatedUser {
    return this.workspace.addUser(user);
  }

  /** Adds a channel the bot is in (unless `botIsMember: false`). */
  addChannel(channel: { name: string; private?: boolean; botIsMember?: boolean }): EmulatedChannel {
    return this.workspace.addChannel(channel);
  }

  /** A user by id or name (throws when unknown). */
  user(idOrName: string): EmulatedUser {
    const user = this.workspace.findUser(idOrName);
    if (!user) throw new Error(`Slack emulator: no user "${idOrName}"`);
    return user;
  }

  /** A channel by id, name or `#name` (throws when unknown). */
  channel(idOrName: string): EmulatedChannel {
    const channel = this.workspace.findChannel(idOrName);
    if (!channel) throw new Error(`Slack emulator: no channel "${idOrName}"`);
    return channel;
  }

  /** The DM channel between a user and the bot. */
  dmChannel(user: string): EmulatedChannel {
    return this.workspace.directChannel(this.user(user).id);
  }

  /** Messages in a channel, in order (including ephemeral ones, marked with `visibleTo`). */
  messages(channel: string): EmulatedMessage[] {
    const found = this.workspace.findChannel(channel) ?? this.workspace.channels.get(channel);
    return found ? this.workspace.messages(found.id).filter((message) => !message.deleted) : [];
  }

  /** Messages the bot posted in a channel (including ephemeral ones). */
  botMessages(channel: string): EmulatedMessage[] {
    return this.messages(channel).filter((message) => message.user === this.app.botUserId);
  }

  /** Labels of the buttons on a message. */
  buttons(message: EmulatedMessage): string[] {
    return buttonLabels(message.blocks);
  }

  /**
   * A user posts `text` in a channel (as typed: `&`, `<`, `>` are escaped as Slack does; pass
   * `raw: true` for pre-formatted text such as `<@U123>`). A mention of the bot also sends `app_mention`.
   */
  userMessage(input: {
    user: string;
    channel: string;
    text: string;
    threadTs?: string;
    raw?: boolean;
  }): Injection {
    const user = this.user(input.user);
    const channel = this.workspace.findChannel(input.channel) ?? this.workspace.channels.get(input.channel);
    if (!channel) throw new Error(`Slack emulator: no channel "${input.channel}"`);
    const message = this.workspace.post({
      channel: channel.id,
      user: user.id,
      text: input.raw ? input.text : escapeSlackText(input.text),
      ...(input.threadTs ? { threadTs: input.threadTs } : {}),
      ...(user.botId ? { botId: user.botId } : {}),
    });
    const deliveries = [this.deliverEvent(messageEvent(this.workspace, message))];
    if (channel.kind !== 'im' && message.text.includes(`<@${this.app.botUserId}>`)) {
      deliveries.push(this.deliverEvent(appMentionEvent(this.workspace, message)));
    }
    return this.injection(deliveries, { message });
  }

  /** A user mentions the bot in a channel: `@opsbot <text>`. */
  mention(input: { user: string; channel: string; text: string; threadTs?: string }): Injection {
    return this.userMessage({
      ...input,
      text: `<@${this.app.botUserId}> ${escapeSlackText(input.text)}`,
      raw: true,
    });
  }

  /** A user writes to the bot in a DM. */
  directMessage(input: { user: string; text: string; threadTs?: string }): Injection {
    return this.userMessage({ ...input, channel: this.dmChannel(input.user).id });
  }

  /** A user runs a slash command (default `/<botName>`) in a channel (default `#general`) or `dm`. */
  slashCommand(input: { user: string; text: string; channel?: string; command?: string }): Injection {
    const user = this.user(input.user);
    const channel =
      input.channel === 'dm'
        ? this.workspace.directChannel(user.id)
        : this.channel(input.channel ?? 'general');
    const responseUrl = this.responseUrls.issue('commands', channel.id, user.id);
    const payload = slashCommandPayload(this.workspace, {
      user,
      channel,
      command: input.command ?? `/${this.app.botName}`,
      text: input.text,
      responseUrl: responseUrl.url,
    });
    return this.injection([this.deliverPayload('slash_commands', payload)], { responseUrl });
  }

  /** A user clicks the button labelled `button` (or with that `action_id`/`value`) on a bot message. */
  click(input: { user: string; message: EmulatedMessage; button: string }): Injection {
    const user = this.user(input.user);
    const message = this.workspace.message(input.message.channel, input.message.ts) ?? input.message;
    const channel = this.workspace.channels.get(message.channel);
    if (!channel) throw new Error(`Slack emulator: no channel "${message.channel}"`);
    const found = findButton(message.blocks, input.button);
    if (!found) {
      throw new Error(
        `Slack emulator: no button "${input.button}" (buttons: ${this.buttons(message).join(', ')})`,
      );
    }
    const responseUrl = this.responseUrls.issue('actions', channel.id, user.id, message);
    const payload = blockActionsPayload(this.workspace, {
      user,
      channel,
      message,
      blockId: found.blockId,
      button: found.button,
      responseUrl: responseUrl.url,
    });
    return this.injection([this.deliverPayload('interactive', payload)], { responseUrl });
  }

  /** Sends a raw Events API event (wrapped in `event_callback`). */
  event(event: Record<string, unknown>): Injection {
    return this.injection([this.deliverEvent(event)], {});
  }

  /** Delivers an already delivered event again with a new envelope (Slack believing the ack was lost). */
  redeliver(delivery: Delivery): void {
    this.socket.redeliver(delivery);
  }

  /** Deliveries not yet acked (Socket Mode and HTTP). */
  get outstanding(): number {
    return this.socket.outstanding + (this.http?.outstanding ?? 0);
  }

  /** Stops the servers. */
  async close(): Promise<void> {
    await this.socket.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private injection(deliveries: Delivery[], extra: Partial<Injection>): Injection {
    return {
      ...extra,
      deliveries,
      settled: () => Promise.all(deliveries.map((delivery) => delivery.outcome)),
    };
  }

  private echo(message: EmulatedMessage): void {
    if (this.echoBotMessages) this.deliverEvent(messageEvent(this.workspace, message));
  }

  private deliverEvent(event: Record<string, unknown>): Delivery {
    return this.deliverPayload('events_api', eventCallback(this.workspace, event));
  }

  private deliverPayload(type: EnvelopeType, payload: Record<string, unknown>): Delivery {
    return this.http ? this.http.deliver(type, payload) : this.socket.deliver(type, payload);
  }
}
