import {
  type Adapter,
  type AdapterHost,
  type ChatUser,
  type Conversation,
  type MessageRef,
  type OutgoingMessage,
  type RenderedCard,
  withTimeout,
} from '@chatops/core';
import type { WebClient } from '@slack/web-api';
import { ChannelDirectory } from './channel-directory.js';
import { ChannelPacer } from './channel-pacer.js';
import type { SlackConfig } from './config.js';
import { EventReceiver } from './event-receiver.js';
import { registerHttpRoutes } from './http-routes.js';
import type { SlackIdentity } from './inbound.js';
import { MessageSender } from './message-sender.js';
import { ResponseUrlBudget } from './response-url-budget.js';
import { slackError } from './slack-error.js';
import { SocketModeConnection } from './socket-mode-connection.js';
import { UserDirectory } from './user-directory.js';
import { createWebClient } from './web-client.js';

/** How long `stop()` waits for queued posts to go out. */
const STOP_FLUSH_MS = 10_000;

/** The Slack adapter: Socket Mode or HTTP in, Block Kit out. */
export class SlackAdapter implements Adapter {
  readonly platform = 'slack';
  private readonly web: WebClient;
  private readonly users: UserDirectory;
  private readonly channels: ChannelDirectory;
  private readonly pacer: ChannelPacer;
  private readonly sender: MessageSender;
  private readonly receiver: EventReceiver;
  private readonly connection?: SocketModeConnection;
  private identity?: SlackIdentity;
  private started = false;

  constructor(
    private readonly host: AdapterHost,
    private readonly config: SlackConfig,
  ) {
    const log = host.log;
    this.web = createWebClient(config, log, host.metrics);
    this.users = new UserDirectory(this.web, config.cacheTtl, log);
    this.channels = new ChannelDirectory(this.web, config.cacheTtl, log);
    this.pacer = new ChannelPacer(config.postInterval);
    this.sender = new MessageSender(
      this.web,
      this.pacer,
      new ResponseUrlBudget(),
      { threadReplies: config.threadReplies },
      log,
    );
    this.receiver = new EventReceiver(host, this.users, this.channels, () => this.identity);
    const onPayload = this.receiver.dispatch.bind(this.receiver);
    if (config.mode === 'socket') {
      this.connection = new SocketModeConnection(config, log, onPayload, (ready) =>
        host.metrics.adapterReadyChanged(this.platform, ready),
      );
    } else {
      if (!host.http) {
        throw new Error('slack.mode http needs the robot\'s HTTP server: add an "http:" block to the config');
      }
      registerHttpRoutes(host.http, {
        signingSecret: config.signingSecret!,
        log,
        isAccepting: () => this.identity !== undefined,
        onPayload,
      });
    }
  }

  async start(): Promise<void> {
    this.identity = await this.authenticate();
    await this.connection?.start();
    this.started = true;
    this.host.log.info(
      { mode: this.config.mode, botUserId: this.identity.userId, team: this.identity.teamId },
      'connected to Slack',
    );
  }

  async stop(): Promise<void> {
    this.started = false;
    // Handlers have had the robot's grace period; queued posts get a bounded time to go out.
    await withTimeout(Promise.all([this.receiver.drain(), this.pacer.drain()]), STOP_FLUSH_MS);
    await this.connection?.stop();
  }

  /** Resolves once every payload received so far has been handled by the robot. */
  idle(): Promise<void> {
    return this.receiver.drain();
  }

  isReady(): boolean {
    if (!this.started) return false;
    return this.connection ? this.connection.isReady() : true;
  }

  send(message: OutgoingMessage): Promise<MessageRef | undefined> {
    return this.sender.send(message);
  }

  update(ref: MessageRef, card: RenderedCard): Promise<void> {
    return this.sender.update(ref, card);
  }

  resolveConversation(name: string): Promise<Conversation | undefined> {
    return this.channels.resolve(name);
  }

  lookupUser(id: string): Promise<ChatUser | undefined> {
    return this.users.lookup(id);
  }

  /** `auth.test` with the bot token: who the bot is; a refused token is a one-line start-up error. */
  private async authenticate(): Promise<SlackIdentity> {
    try {
      const auth = await this.web.auth.test();
      if (!auth.user_id) throw new Error('auth.test returned no user_id');
      return {
        userId: auth.user_id,
        ...(auth.bot_id ? { botId: auth.bot_id } : {}),
        ...(auth.team_id ? { teamId: auth.team_id } : {}),
      };
    } catch (error) {
      const reason = slackError(error);
      throw new Error(
        /invalid_auth|not_authed|token_revoked|account_inactive|not_allowed_token_type/.test(reason)
          ? `slack.botToken was refused by Slack (${reason}); check the Bot User OAuth Token (xoxb-…)`
          : `could not reach the Slack Web API at ${this.config.apiUrl} (${reason})`,
      );
    }
  }
}
