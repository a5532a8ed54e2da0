import { setImmediate as nextTurn } from 'node:timers/promises';
import { type AdapterHost, type Incoming, type IncomingMessage, InFlight, withTimeout } from '@chatops/core';
import type { ChannelDirectory } from './channel-directory.js';
import {
  blockActionsToIncoming,
  eventToIncoming,
  type SlackIdentity,
  slashCommandToIncoming,
} from './inbound.js';
import type { UserDirectory } from './user-directory.js';

/** Kinds of payload Slack delivers (Socket Mode envelope types; HTTP mode maps onto them). */
export type PayloadKind = 'events_api' | 'slash_commands' | 'interactive';

/** Delivery details of a payload. */
export interface DeliveryMeta {
  /** 0 (or absent) on the first delivery; 1..3 on Slack's retries. */
  retryNum?: number;
  retryReason?: string;
}

/**
 * Receives a payload. Returns a promise (bounded in time, never rejecting) to wait for before Slack is
 * acknowledged, or undefined when Slack may be acknowledged at once (see {@link EventReceiver.dispatch}).
 */
export type PayloadHandler = (
  kind: PayloadKind,
  body: Record<string, unknown>,
  meta: DeliveryMeta,
) => Promise<void> | undefined;

/** Longest wait for the robot to accept an event before acking anyway, well under Slack's 3 s. */
const ACCEPT_TIMEOUT_MS = 2000;

/** How many payloads start per event-loop turn during a burst. */
const PER_TURN = 10;

/** Redeliveries seen, by reason; the robot drops the duplicates by event id. */
export const REDELIVERIES_METRIC = 'chatops_slack_redeliveries_total';

/**
 * Turns Slack payloads into incoming messages and clicks for the robot, in the background. It never
 * throws. With a durable intake, the promise of an `events_api` dispatch tells the Socket Mode
 * connection or the HTTP route when the robot has taken the event in, so the ack can wait for that.
 */
export class EventReceiver {
  private readonly inFlight = new InFlight();
  private turn?: Promise<void>;
  private startedThisTurn = 0;
  private readonly redeliveries;

  constructor(
    private readonly host: AdapterHost,
    private readonly users: UserDirectory,
    private readonly channels: ChannelDirectory,
    private readonly identity: () => SlackIdentity | undefined,
  ) {
    this.redeliveries = host.metrics.counter(REDELIVERIES_METRIC, 'Slack redeliveries received, by reason', [
      'reason',
    ]);
  }

  /**
   * Hands a payload to the robot in the background. For an event or a slash command when the robot's
   * intake is durable ({@link AdapterHost.durableIntake}) it returns a promise (never rejecting) that
   * settles once the robot has accepted the event (queued in the shared stream, or dropped as a
   * duplicate) or failed to, or after ACCEPT_TIMEOUT_MS at most, which is when Slack may be acked;
   * otherwise undefined: ack at once.
   */
  dispatch(
    kind: PayloadKind,
    body: Record<string, unknown>,
    meta: DeliveryMeta = {},
  ): Promise<void> | undefined {
    if (meta.retryNum) this.redeliveries.inc({ reason: meta.retryReason || 'unknown' });
    const work = this.intakeTurn()
      .then(() => this.handle(kind, body))
      .catch((error: unknown) => {
        this.host.log.error({ err: error, kind }, 'could not hand a Slack payload to the robot');
      });
    void this.inFlight.track(work);
    if (kind === 'interactive' || !this.host.durableIntake) return undefined;
    return withTimeout(work, ACCEPT_TIMEOUT_MS).then(() => undefined);
  }

  /**
   * Starts at most PER_TURN payloads per event-loop turn. A burst of thousands of envelopes would
   * otherwise run thousands of dispatches back to back, and the socket frames behind them (and so
   * their acks) would wait; spread out, the loop reads and acks new frames between groups.
   */
  private intakeTurn(): Promise<void> {
    if (!this.turn || this.startedThisTurn >= PER_TURN) {
      this.turn = (this.turn ?? Promise.resolve()).then(() => nextTurn());
      this.startedThisTurn = 0;
    }
    this.startedThisTurn += 1;
    return this.turn;
  }

  /** Resolves when every payload taken so far has been handled (including ones taken meanwhile). */
  async drain(): Promise<void> {
    await this.inFlight.drain();
  }

  private async handle(kind: PayloadKind, body: Record<string, unknown>): Promise<void> {
    const identity = this.identity();
    if (!identity) return;
    const incoming: Incoming[] = [];
    if (kind === 'events_api') {
      const message = eventToIncoming(body, identity);
      if (message) incoming.push(await this.enrich(message));
    } else if (kind === 'slash_commands') {
      const command = slashCommandToIncoming(body);
      if (command) incoming.push(await this.enrich(command));
    } else {
      incoming.push(...blockActionsToIncoming(body));
    }
    await Promise.all(incoming.map((item) => this.host.receive(item)));
  }

  /** Fills in the user's name and email and the channel's name (cached lookups; failures are tolerated). */
  private async enrich(message: IncomingMessage): Promise<IncomingMessage> {
    const needsChannelName = !message.conversation.name && message.conversation.kind !== 'dm';
    const [user, channelName] = await Promise.all([
      message.user.isBot ? undefined : this.users.lookup(message.user.id).catch(() => undefined),
      needsChannelName ? this.channels.nameOf(message.conversation.id) : undefined,
    ]);
    return {
      ...message,
      user: user
        ? { ...message.user, ...user, isBot: Boolean(user.isBot || message.user.isBot) }
        : message.user,
      conversation: channelName ? { ...message.conversation, name: `#${channelName}` } : message.conversation,
    };
  }
}
