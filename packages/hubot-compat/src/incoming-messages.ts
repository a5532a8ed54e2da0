import type { IncomingMessage } from '@chatops/core';
import type { Brain } from './brain.js';
import { TextMessage, User } from './message.js';

/** Per incoming message: the Hubot message all its listeners share, and whether receive middleware let it in. */
export interface MessageState {
  message: TextMessage;
  received: Promise<boolean>;
}

/**
 * Turns the robot's incoming messages into Hubot messages, one per incoming message (so `finish()` and
 * receive middleware span all its listeners), and records each sender in the brain as Hubot adapters do.
 */
export class IncomingMessages {
  private readonly states = new WeakMap<IncomingMessage, MessageState>();
  /** The platform of the last message seen (`robot.adapterName`). */
  platform: string | undefined;

  constructor(
    private readonly brain: Brain,
    private readonly receive: (message: TextMessage) => Promise<boolean>,
  ) {}

  /** The shared state of `incoming`; receive middleware starts the first time it is asked for. */
  state(incoming: IncomingMessage | undefined, text: string): MessageState {
    const existing = incoming && this.states.get(incoming);
    if (existing) return existing;
    const message = this.message(incoming, text);
    const state: MessageState = { message, received: this.receive(message) };
    if (incoming) this.states.set(incoming, state);
    return state;
  }

  /** The Hubot message of `incoming` (a bare one from the text when there is no message, as in a replay). */
  message(incoming: IncomingMessage | undefined, text: string): TextMessage {
    if (!incoming) return new TextMessage(new User('unknown'), text);
    const cached = this.states.get(incoming);
    if (cached) return cached.message;
    this.platform = incoming.platform;
    const user = this.brain.userForId(incoming.user.id, {
      name: incoming.user.name,
      room: incoming.conversation.id,
      ...(incoming.user.email ? { email_address: incoming.user.email } : {}),
    });
    const message = new TextMessage(user, incoming.text.trim(), incoming.messageId);
    message.room = incoming.conversation.id;
    if (incoming.conversation.threadId) {
      message.thread = incoming.conversation.threadId;
      message.thread_ts = incoming.conversation.threadId;
    }
    return message;
  }
}
