import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ZodType } from 'zod';
import type { DispatchResult } from '../pipeline/outcome.js';
import type { Metrics } from '../runtime/metrics.js';
import type { Store } from '../store/store.js';
import type { RenderedCard } from './card.js';
import type {
  ChatUser,
  Conversation,
  Incoming,
  IncomingAction,
  IncomingMessage,
  MessageRef,
} from './incoming.js';

/** A message for an adapter to post. */
export interface OutgoingMessage {
  conversation: Conversation;
  card: RenderedCard;
  /** The message or click being answered (threading, Slack `response_url`, slash commands). */
  replyTo?: IncomingMessage | IncomingAction;
  /** Post so that only this user sees it (ephemeral) where the platform can. */
  privateTo?: ChatUser;
}

/**
 * A chat platform connection, made by an {@link AdapterModule}'s `create`. It turns platform events
 * into {@link Incoming} values for `host.receive` and posts the robot's rendered cards.
 *
 * @example
 * class IrcAdapter implements Adapter {
 *   readonly platform = 'irc';
 *   constructor(private readonly host: AdapterHost, private readonly client: IrcClient) {}
 *   async start() {
 *     this.client.on('message', (m) => void this.host.receive(toIncoming(m)));
 *     await this.client.connect();
 *   }
 *   stop = () => this.client.quit();
 *   isReady = () => this.client.connected;
 *   async send(message: OutgoingMessage) {
 *     await this.client.say(message.conversation.id, renderCardText(message.card));
 *     return undefined; // IRC gives no message id
 *   }
 *   update = async () => {}; // IRC cannot edit messages
 * }
 */
export interface Adapter {
  /** Platform name used in principals (`slack`, `mattermost`, `shell`). */
  readonly platform: string;
  /** Connects; resolves once messages can flow. */
  start(): Promise<void>;
  /** Disconnects; pending sends should be flushed first. */
  stop(): Promise<void>;
  /** True while connected (drives `/readyz`). */
  isReady(): boolean;
  /** Posts a message; returns its reference when the platform gives one. */
  send(message: OutgoingMessage): Promise<MessageRef | undefined>;
  /** Replaces a message the robot posted. */
  update(ref: MessageRef, card: RenderedCard): Promise<void>;
  /**
   * Resolves a name to a conversation, for notifications and `ctx.send`: a channel (`#ops`, `ops`, a
   * channel id) or a person (`@alice`, `@alice@example.com`), whose direct-message conversation it opens.
   * Undefined when there is no such channel or person.
   */
  resolveConversation?(name: string): Promise<Conversation | undefined>;
  /** Looks a user up (email for identity). */
  lookupUser?(id: string): Promise<ChatUser | undefined>;
  /**
   * On platforms with teams: the team(s) the bot is configured for, by name. A `#name` entry of a
   * `channels:` rule matches a conversation that has a `team` only when it is one of these.
   */
  homeTeams?(): readonly string[];
}

/** Lets adapters and plugins add routes to the robot's HTTP server before it listens. */
export interface HttpRegistrar {
  /** Registers a fastify plugin (routes, content-type parsers) in its own encapsulated scope. */
  register(plugin: (app: FastifyInstance) => Promise<void> | void): void;
  /** The base URL the server listens on, once listening. */
  url(): string | undefined;
}

/**
 * What the robot hands an adapter.
 *
 * @example
 * const result = await host.receive({
 *   type: 'message',
 *   platform: 'irc',
 *   user: { id: nick, name: nick },
 *   conversation: { id: channel, name: channel, kind: 'channel' },
 *   text,
 *   addressed: text.startsWith(`${host.robotName}:`),
 * });
 * host.log.debug({ status: result.status }, 'handled');
 */
export interface AdapterHost {
  /** The bot's name (`opsbot`). */
  robotName: string;
  log: Logger;
  store: Store;
  metrics: Metrics;
  /** Present when `http` is configured. */
  http?: HttpRegistrar;
  /**
   * True when the robot takes chat messages into a shared, durable event stream (a Redis store):
   * then {@link AdapterHost.receive} of a message that carries an `eventId` resolves as soon as the
   * event is in the stream (`queued`) or found to be a duplicate, and another replica handles it if
   * this one dies. An adapter may then acknowledge such a delivery to the platform only after that
   * promise settles, so no acknowledged event is lost. False otherwise: `receive` resolves only when
   * the message has been handled, which can take minutes, so acknowledgements must not wait for it.
   */
  readonly durableIntake: boolean;
  /** Hands an incoming message or click to the robot; resolves when it has been handled (or queued). */
  receive(incoming: Incoming): Promise<DispatchResult>;
}

/** An adapter package's default export. */
export interface AdapterModule<C = unknown> {
  /** Name used by `adapter:` in config and as the config block key (`slack:`). */
  name: string;
  /** Schema of the config block; errors name the exact key. */
  config?: ZodType<C>;
  create(host: AdapterHost, config: C): Adapter | Promise<Adapter>;
}

/**
 * Declares an adapter module (an adapter package's default export) with its config type inferred
 * from the schema. `create` gets the {@link AdapterHost} and the validated config block, and returns
 * the {@link Adapter}; the adapter hands each message or click to `host.receive(incoming)`.
 *
 * @example
 * export default defineAdapter({
 *   name: 'irc',
 *   config: z.strictObject({ server: z.string(), token: z.string() }),
 *   create: (host, config) => new IrcAdapter(host, config), // config: { server: string; token: string }
 * });
 */
export function defineAdapter<C>(module: AdapterModule<C>): AdapterModule<C> {
  return module;
}
