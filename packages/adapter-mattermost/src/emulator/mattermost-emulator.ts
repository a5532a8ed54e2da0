import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError, noPermission, routeNotFound, sessionExpired } from './app-error.js';
import { tokenFromRequest } from './auth-token.js';
import { Dialogs } from './dialogs.js';
import { readBody, sendAppError, sendJson, sendRateLimited } from './http-kit.js';
import { newId } from './ids.js';
import { type CommandArgs, doPostAction, executeCommand, findAction } from './integration-flows.js';
import type { CommandRecord, CommandResponse, IntegrationCall } from './integrations.js';
import {
  type ChannelRecord,
  type ChannelType,
  type PostRecord,
  postJson,
  type TeamRecord,
  type UserRecord,
} from './model.js';
import { type FailureRule, RateLimiter, type RateLimitRule, RequestRules } from './rate-limiter.js';
import { matchRoute } from './rest-routes.js';
import { newPost, type PostInput, type PostPatchInput, ServerState } from './server-state.js';
import { WebSocketApiServer } from './websocket-api-server.js';

/** Options of {@link MattermostEmulator.start}. */
export interface MattermostEmulatorOptions {
  /** `PrivacySettings.ShowEmailAddress`: whether other users' emails are visible (default true). */
  showEmail?: boolean;
  /** `OutgoingIntegrationRequestsTimeout` in milliseconds (default 30 s). */
  integrationTimeoutMs?: number;
  /** How long a trigger id may open a dialog (`InteractiveDialogTriggerTimeoutMilliseconds`, 3 s). */
  dialogTriggerTimeoutMs?: number;
}

/** A REST request the emulator answered, for assertions. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  status: number;
  userId?: string;
  /** The parsed JSON body, when there was one. */
  body?: unknown;
}

/** An ephemeral post shown to one user (never stored as a post). */
export interface EphemeralRecord {
  userId: string;
  post: Record<string, unknown>;
}

/** A user created in the emulator with its personal access token. */
export interface EmulatedUser extends UserRecord {
  token: string;
}

/**
 * A Mattermost server on 127.0.0.1 for tests: REST v4 with the real shapes, status codes and AppError
 * bodies; the WebSocket API with auth, `hello`, seqs and replay; custom slash commands and interactive
 * buttons POSTed to integrations. Faults on demand: dropped sockets, a restart, a partition, 429s.
 */
export class MattermostEmulator {
  readonly state = new ServerState();
  readonly socket: WebSocketApiServer;
  readonly rateLimiter = new RateLimiter();
  private readonly failures = new RequestRules<FailureRule>();
  readonly requests: RecordedRequest[] = [];
  readonly ephemerals: EphemeralRecord[] = [];
  /** Requests sent to slash-command and button integrations. */
  readonly integrationCalls: IntegrationCall[] = [];
  readonly commands = new Map<string, CommandRecord>();
  /** Interactive dialogs: trigger ids, dialogs opened, submissions. */
  readonly dialogs: Dialogs;
  private readonly changes = new EventEmitter();
  /** `PrivacySettings.ShowEmailAddress`. */
  readonly showEmail: boolean;
  /** `OutgoingIntegrationRequestsTimeout`. */
  readonly integrationTimeoutMs: number;
  private server!: Server;
  /** `http://127.0.0.1:<port>`. */
  url = '';

  private constructor(options: MattermostEmulatorOptions) {
    this.socket = new WebSocketApiServer(this.state, () => this.changed());
    this.showEmail = options.showEmail ?? true;
    this.integrationTimeoutMs = options.integrationTimeoutMs ?? 30_000;
    this.dialogs = new Dialogs(this, options.dialogTriggerTimeoutMs ?? 3000);
    this.changes.setMaxListeners(0);
  }

  /** Starts an emulator listening on 127.0.0.1 on a free port. */
  static async start(options: MattermostEmulatorOptions = {}): Promise<MattermostEmulator> {
    const emulator = new MattermostEmulator(options);
    emulator.server = createServer((req, res) => void emulator.handle(req, res));
    emulator.server.on('upgrade', (req, socket, head) => emulator.socket.handleUpgrade(req, socket, head));
    await new Promise<void>((resolve) => emulator.server.listen(0, '127.0.0.1', resolve));
    emulator.url = `http://127.0.0.1:${(emulator.server.address() as AddressInfo).port}`;
    return emulator;
  }

  async close(): Promise<void> {
    await this.socket.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- setup -------------------------------------------------------------------------------------

  addTeam(name: string, displayName?: string): TeamRecord {
    return this.state.addTeam(name, displayName);
  }

  addUser(fields: Partial<UserRecord> & { username: string }): EmulatedUser {
    const user = this.state.addUser(fields);
    return Object.assign(user, { token: this.state.addToken(user.id) });
  }

  /** A bot account (`is_bot`, `<username>@localhost`) with a personal access token. */
  addBot(username: string, displayName = username): EmulatedUser {
    return this.addUser({
      username,
      is_bot: true,
      email: `${username}@localhost`,
      first_name: displayName,
      bot_description: `${displayName} bot`,
    });
  }

  addChannel(
    team: TeamRecord,
    name: string,
    members: UserRecord[],
    type: Extract<ChannelType, 'O' | 'P'> = 'O',
  ): ChannelRecord {
    return this.state.addChannel(
      team,
      name,
      type,
      members.map((member) => member.id),
    );
  }

  /** The DM between two users, created when missing (publishes `direct_added` then). */
  directChannel(a: UserRecord, b: UserRecord): ChannelRecord {
    return this.openDirectChannel(a.id, b.id);
  }

  /** Registers a custom slash command whose requests go to `url`. */
  addCommand(team: TeamRecord, trigger: string, url: string, token = newId()): CommandRecord {
    const command: CommandRecord = { id: newId(), teamId: team.id, trigger, url, token, method: 'P' };
    this.commands.set(command.id, command);
    return command;
  }

  // ---- acting as users ---------------------------------------------------------------------------

  /** Posts as `user`, as the webapp would (`POST /api/v4/posts`), and publishes `posted`. */
  post(
    user: UserRecord,
    channel: ChannelRecord,
    message: string,
    options: { rootId?: string } = {},
  ): PostRecord {
    return this.createPost(user.id, { channel_id: channel.id, message, root_id: options.rootId });
  }

  /** Types a slash command line (`/opsbot ping uat`) as the webapp does (`POST /commands/execute`). */
  async runCommand(
    user: UserRecord,
    channel: ChannelRecord,
    line: string,
    options: { rootId?: string } = {},
  ): Promise<CommandResponse> {
    return this.executeCommand(user.id, { channel_id: channel.id, command: line, root_id: options.rootId });
  }

  /**
   * Submits (or cancels) the last dialog opened for `user`, as the webapp does
   * (`POST /actions/dialogs/submit`); resolves with the integration's answer.
   */
  async submitDialog(user: UserRecord, options: { cancelled?: boolean } = {}) {
    const open = this.dialogs.lastFor(user.id);
    if (!open) throw new Error(`Mattermost emulator: no dialog was opened for ${user.username}`);
    return this.dialogs.submit(user.id, {
      url: open.url,
      callback_id: open.dialog.callback_id ?? '',
      state: open.dialog.state ?? '',
      channel_id: open.channelId,
      submission: {},
      cancelled: options.cancelled === true,
    });
  }

  /** Clicks a button (by action id or label) as `user` (`POST /posts/{id}/actions/{action_id}`). */
  async click(
    user: UserRecord,
    postId: string,
    action: string,
  ): Promise<{ status: string; trigger_id: string }> {
    const found = findAction(this.state.post(postId), action);
    return this.doPostAction(user.id, postId, found?.id ?? action);
  }

  // ---- faults ------------------------------------------------------------------------------------

  /** Terminates the sockets of `userId` (or everyone's); the connections stay resumable. */
  dropConnections(userId?: string): void {
    this.socket.dropSockets(userId);
  }

  /** A server restart: every socket closes and no connection can be resumed afterwards. */
  restart(): void {
    this.socket.forgetConnections();
  }

  /** Refuses (false) or allows (true) WebSocket upgrades: a partition between the bot and the server. */
  setWebSocketAvailable(available: boolean): void {
    this.socket.available = available;
  }

  /** Whether reconnects may resume with `connection_id`/`sequence_number` (default true). */
  setResumable(resumable: boolean): void {
    this.socket.resume = resumable;
  }

  /** Loses the next `count` events on their way to `user` (they keep their seqs, so a gap follows). */
  loseEvents(user: UserRecord, count = 1): void {
    this.socket.loseEvents(user.id, count);
  }

  /** Publishes `posted` for an existing post again, as a server delivering it twice would. */
  redeliver(post: PostRecord): void {
    this.publishPosted(post);
  }

  /** Answers the next matching REST requests with 429 and a plain-text body. */
  rateLimit(rule: RateLimitRule): void {
    this.rateLimiter.add(rule);
  }

  /** Answers the next matching REST requests with an AppError (500 unless `status` says otherwise). */
  failRequests(rule: FailureRule): void {
    this.failures.add(rule);
  }

  // ---- assertions --------------------------------------------------------------------------------

  /** Posts of a channel, oldest first, as clients see them. */
  postsIn(channel: ChannelRecord): Record<string, unknown>[] {
    return this.state
      .postsOf(channel.id)
      .reverse()
      .map((post) => postJson(post));
  }

  /** The stored post including its actions' `integration` (which clients never see). */
  storedPost(id: string): PostRecord {
    return this.state.post(id);
  }

  /** Resolves with the first truthy value of `probe`, re-checked after every change; rejects on timeout. */
  async waitFor<T>(probe: () => T | undefined | false | null, timeoutMs = 5000): Promise<T> {
    const first = probe();
    if (first) return first;
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const value = probe();
        if (!value) return;
        cleanup();
        resolve(value);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`emulator: condition not met within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.changes.off('change', check);
      };
      this.changes.on('change', check);
    });
  }

  /** Number of the user's open WebSocket connections. */
  openSockets(user: UserRecord): number {
    return this.socket.openSockets(user.id);
  }

  // ---- operations shared by the REST API and the helpers above ------------------------------------

  createPost(userId: string, input: PostInput): PostRecord {
    const post = this.state.createPost(userId, input);
    this.publishPosted(post);
    return post;
  }

  patchPost(userId: string, postId: string, patch: PostPatchInput): PostRecord {
    return this.edited(this.state.patchPost(userId, postId, patch));
  }

  updatePost(userId: string, postId: string, body: Record<string, unknown>): PostRecord {
    return this.edited(this.state.updatePost(userId, postId, body));
  }

  deletePost(userId: string, postId: string): void {
    const post = this.state.post(postId);
    if (post.user_id !== userId && !this.state.user(userId).roles.includes('system_admin')) {
      throw noPermission();
    }
    post.delete_at = this.state.now();
    post.update_at = post.delete_at;
    this.socket.publish(
      'post_deleted',
      { post: JSON.stringify(postJson(post)) },
      { channel_id: post.channel_id },
    );
    this.changed();
  }

  /** `POST /posts/ephemeral`: needs `create_post_ephemeral`, which only system admins have. */
  createEphemeral(userId: string, targetUserId: string, input: PostInput): PostRecord {
    if (!this.state.user(userId).roles.includes('system_admin')) throw noPermission();
    this.state.user(targetUserId);
    this.state.channel(input.channel_id);
    const post = newPost(
      {
        user_id: userId,
        channel_id: input.channel_id,
        root_id: input.root_id ?? '',
        message: input.message ?? '',
        type: 'system_ephemeral',
        props: input.props ?? {},
        file_ids: [],
      },
      this.state.now(),
    );
    this.showEphemeral(targetUserId, { ...post });
    return post;
  }

  openDirectChannel(a: string, b: string): ChannelRecord {
    const { channel, created } = this.state.directChannel(a, b);
    if (created) {
      this.socket.publish('direct_added', { creator_id: a, teammate_id: b }, { channel_id: channel.id });
    }
    return channel;
  }

  /** `POST /commands/execute`: runs a custom slash command and applies its response. */
  executeCommand(userId: string, body: CommandArgs): Promise<CommandResponse> {
    return executeCommand(this, userId, body);
  }

  /** `POST /posts/{id}/actions/{action_id}`: calls the button's integration, applies its answer. */
  doPostAction(
    userId: string,
    postId: string,
    actionId: string,
  ): Promise<{ status: string; trigger_id: string }> {
    return doPostAction(this, userId, postId, actionId);
  }

  /** Shows an ephemeral post to one user (`ephemeral_message`). */
  showEphemeral(userId: string, post: Record<string, unknown>): void {
    this.ephemerals.push({ userId, post });
    this.socket.publish(
      'ephemeral_message',
      { post: JSON.stringify(post) },
      { user_id: userId, channel_id: String(post.channel_id) },
    );
    this.changed();
  }

  /** Replaces a post with an integration's `update` (click answers). */
  applyIntegrationUpdate(postId: string, update: Record<string, unknown>): PostRecord {
    return this.edited(this.state.applyIntegrationUpdate(postId, update));
  }

  // ---- internals ---------------------------------------------------------------------------------

  private publishPosted(post: PostRecord): void {
    const channel = this.state.channel(post.channel_id);
    const sender = this.state.user(post.user_id);
    const fromWebhook =
      post.props.from_webhook === 'true' && typeof post.props.override_username === 'string';
    const data: Record<string, unknown> = {
      channel_type: channel.type,
      channel_display_name: channel.type === 'D' ? `@${sender.username}` : channel.display_name,
      channel_name: channel.name,
      sender_name: fromWebhook ? post.props.override_username : `@${sender.username}`,
      team_id: channel.team_id,
      set_online: true,
      post: JSON.stringify(postJson(post)),
    };
    if (post.file_ids.length > 0) data.otherFile = 'true';
    this.socket.publish('posted', data, { channel_id: channel.id }, this.mentionedIn(post.message, channel));
    this.changed();
  }
  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const record: RecordedRequest = { method, path: url.pathname, query: url.search, status: 0 };
    try {
      const retryAfter = this.rateLimiter.check(method, url.pathname);
      if (retryAfter !== undefined) {
        record.status = 429;
        sendRateLimited(res, retryAfter);
        return;
      }
      const failure = this.failures.take(method, url.pathname);
      if (failure) {
        throw new AppError(failure.status ?? 500, 'api.context.unknown.app_error', 'injected failure');
      }
      const route = matchRoute(method, url.pathname);
      if (!route) throw routeNotFound();
      let user: UserRecord | undefined;
      if (route.auth) {
        const token = tokenFromRequest(req, url);
        user = token ? this.state.userForToken(token) : undefined;
        if (!user) throw sessionExpired();
        record.userId = user.id;
      }
      const raw = await readBody(req);
      const result = await route.handler({
        emulator: this,
        params: route.params,
        query: url.searchParams,
        user: user as UserRecord,
        raw,
        contentType: req.headers['content-type'] ?? '',
        record,
      });
      record.status = result.status;
      sendJson(res, result.status, result.body, method);
    } catch (error) {
      const appError =
        error instanceof AppError
          ? error
          : new AppError(500, 'api.context.unknown.app_error', (error as Error).message ?? 'internal error');
      record.status = appError.statusCode;
      sendAppError(res, appError);
    } finally {
      this.requests.push(record);
      this.changed();
    }
  }

  private edited(post: PostRecord): PostRecord {
    this.socket.publish(
      'post_edited',
      { post: JSON.stringify(postJson(post)) },
      { channel_id: post.channel_id },
    );
    this.changed();
    return post;
  }

  /** Users of the channel named with `@username` (or everyone for `@channel`/`@all`/`@here`). */
  private mentionedIn(message: string, channel: ChannelRecord): string[] {
    const mentioned: string[] = [];
    const words = message.match(/@[a-z0-9._-]+/gi) ?? [];
    for (const word of words) {
      const name = word
        .slice(1)
        .replace(/[._-]+$/, '')
        .toLowerCase();
      for (const id of channel.members) {
        const member = this.state.users.get(id);
        if (!member) continue;
        if (member.username === name || ['channel', 'all', 'here'].includes(name)) mentioned.push(id);
      }
    }
    return mentioned;
  }

  private changed(): void {
    this.changes.emit('change');
  }
}
