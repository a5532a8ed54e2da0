import type {
  Adapter,
  AdapterHost,
  ChatUser,
  Conversation,
  MessageRef,
  OutgoingMessage,
  RenderedCard,
} from '@chatops/core';
import { withTimeout } from '@chatops/core';
import { handleActionClick, handleDialogSubmission } from './action-click.js';
import { catchUp } from './catch-up.js';
import { ChannelDirectory } from './channel-directory.js';
import type { MattermostConfig } from './config.js';
import { DIALOG_PATH } from './confirm-dialog.js';
import { EventReceiver } from './event-receiver.js';
import { ACTION_PATH, registerHttpRoutes } from './http-routes.js';
import { Interactions } from './interactions.js';
import type { MattermostUser } from './mattermost-types.js';
import { MessageSender } from './message-sender.js';
import { createRestClient, type RestClient } from './rest-client.js';
import { handleSlashCommand } from './slash-command.js';
import { UserDirectory } from './user-directory.js';
import { WebSocketConnection } from './websocket-connection.js';

/** Margin before the last post seen where a catch-up starts (clock skew; duplicates are dropped). */
const CATCH_UP_OVERLAP_MS = 5000;
/** How long `stop()` waits for the posts being handled. */
const STOP_FLUSH_MS = 5000;

/** The Mattermost adapter: REST v4 through Client4, events over the WebSocket API, HTTP for commands and buttons. */
export class MattermostAdapter implements Adapter {
  readonly platform = 'mattermost';
  private readonly abort = new AbortController();
  private readonly rest: RestClient;
  private readonly users: UserDirectory;
  private readonly channels: ChannelDirectory;
  private readonly interactions = new Interactions();
  private readonly receiver: EventReceiver;
  private readonly sender: MessageSender;
  private readonly connection: WebSocketConnection;
  private self?: MattermostUser;
  /** The team whose channels `#name` rule entries mean (the configured `team`, or the bot's first). */
  private homeTeam?: string;
  /** The server's clock as last seen (posts, ping replies) and when, locally. */
  private serverTime = { server: 0, local: 0 };
  private catchingUp: Promise<void> = Promise.resolve();

  constructor(
    private readonly host: AdapterHost,
    private readonly config: MattermostConfig,
  ) {
    const log = host.log;
    const rateLimited = host.metrics.counter(
      'chatops_mattermost_rate_limited_total',
      'Mattermost REST requests answered with 429 and retried',
    );
    this.rest = createRestClient(config.url, config.token, {
      retries: config.rateLimit.retries,
      maxWaitMs: config.rateLimit.maxWait,
      signal: this.abort.signal,
      onRateLimited: (waitMs, path) => {
        rateLimited.inc();
        log.warn({ path, waitMs }, 'mattermost rate limit: waiting before retrying');
      },
    });
    this.users = new UserDirectory(this.rest, config.cacheTtl);
    this.channels = new ChannelDirectory(this.rest, config.cacheTtl, config.team);
    this.receiver = new EventReceiver(host, this.users, this.channels, () => this.me());
    this.sender = new MessageSender(
      this.rest,
      this.interactions,
      {
        limit: config.messageLimit,
        replyInThread: config.replyInThread,
        actionUrl: () => {
          const base = config.publicUrl ?? host.http?.url();
          return host.http && base ? `${base}${ACTION_PATH}` : undefined;
        },
      },
      () => this.me(),
      log,
    );
    this.connection = new WebSocketConnection({
      url: config.url,
      token: config.token,
      log,
      pingIntervalMs: config.pingInterval,
      minDelayMs: config.reconnect.minDelay,
      maxDelayMs: config.reconnect.maxDelay,
      onEvent: (event) => {
        if (this.self) this.receiver.onEvent(event);
      },
      onResync: () => this.scheduleCatchUp(),
      onReadyChange: (ready) => {
        host.metrics.adapterReadyChanged('mattermost', ready);
      },
      onServerTime: (server) => this.noteServerTime(server),
    });
    if (host.http) {
      registerHttpRoutes(host.http, {
        command: (form, authorization) => this.onSlashCommand(form, authorization),
        action: (body) => this.onAction(body),
        dialog: (body) =>
          handleDialogSubmission(body, this.clickOptions()).catch((error: unknown) => {
            host.log.error({ err: (error as Error).message }, 'mattermost: dialog submission failed');
            return { status: 200, body: {} };
          }),
      });
    } else {
      log.warn('mattermost: slash commands and buttons are off (configure `http`)');
    }
  }

  async start(): Promise<void> {
    try {
      this.self = (await this.rest.getMe()) as MattermostUser;
    } catch (error) {
      throw new Error(
        `mattermost: cannot sign in at ${this.config.url} with mattermost.token: ${describe(error)}`,
      );
    }
    this.homeTeam = await this.channels.teamName();
    this.noteServerTime(Date.now());
    const connected = await this.connection.start(10_000);
    this.host.log.info({ user: this.self.username, connected }, 'mattermost adapter started');
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.connection.stop();
    await withTimeout(this.receiver.drain(), STOP_FLUSH_MS);
    this.rest.close();
  }

  isReady(): boolean {
    return this.connection.isReady();
  }

  send(message: OutgoingMessage): Promise<MessageRef | undefined> {
    return this.sender.send(message);
  }

  update(ref: MessageRef, card: RenderedCard): Promise<void> {
    return this.sender.update(ref, card);
  }

  resolveConversation(name: string): Promise<Conversation | undefined> {
    return this.channels.resolve(name, this.me());
  }

  lookupUser(id: string): Promise<ChatUser | undefined> {
    return this.users.lookup(id);
  }

  homeTeams(): readonly string[] {
    return this.homeTeam ? [this.homeTeam] : [];
  }

  private me(): MattermostUser {
    if (!this.self) throw new Error('mattermost adapter is not started');
    return this.self;
  }

  private noteServerTime(server: number): void {
    if (server >= this.serverTime.server) this.serverTime = { server, local: Date.now() };
  }

  /** After the server could not resume the socket: fetch what was posted meanwhile, once at a time. */
  private scheduleCatchUp(): void {
    const lastSeen = Math.max(this.receiver.newestPostAt, this.serverTime.server);
    const serverNow = this.serverTime.server + (Date.now() - this.serverTime.local);
    const since = Math.max(lastSeen - CATCH_UP_OVERLAP_MS, serverNow - this.config.catchUpWindow);
    this.catchingUp = this.catchingUp.then(async () => {
      const count = await catchUp(
        this.rest,
        this.channels,
        since,
        (post, hints) => void this.receiver.handle(post, hints),
        {
          log: this.host.log,
          signal: this.abort.signal,
          minDelayMs: this.config.reconnect.minDelay,
          maxDelayMs: this.config.reconnect.maxDelay,
        },
      );
      if (count !== undefined) this.host.log.info({ since, posts: count }, 'mattermost catch-up done');
    });
  }

  private onSlashCommand(form: Record<string, unknown>, authorization: string | undefined) {
    return handleSlashCommand(form, authorization, {
      host: this.host,
      interactions: this.interactions,
      commandTokens: this.config.commandTokens,
      ackTimeoutMs: this.config.ackTimeout,
      limit: this.config.messageLimit,
      botNames: () => [this.host.robotName, ...(this.self ? [this.self.username] : [])],
    });
  }

  private onAction(body: unknown) {
    if (!this.self)
      return Promise.resolve({ status: 503, body: { ephemeral_text: 'The bot is starting; try again.' } });
    return handleActionClick(body, this.clickOptions());
  }

  private clickOptions() {
    return {
      host: this.host,
      rest: this.rest,
      channels: this.channels,
      interactions: this.interactions,
      ackTimeoutMs: this.config.ackTimeout,
      confirmWindowMs: this.config.confirmWindow,
      limit: this.config.messageLimit,
      dialogUrl: () => {
        const base = this.config.publicUrl ?? this.host.http?.url();
        return this.host.http && base ? `${base}${DIALOG_PATH}` : undefined;
      },
    };
  }
}

/** An error in a few words, with the network cause (`ECONNREFUSED`) that `fetch failed` hides. */
function describe(error: unknown): string {
  const { message, cause } = error as Error & { cause?: { code?: string; message?: string } };
  const reason = cause?.code ?? cause?.message;
  return reason ? `${message} (${reason})` : message;
}
