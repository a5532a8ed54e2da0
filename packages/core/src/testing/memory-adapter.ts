import type { Adapter, AdapterHost, AdapterModule, OutgoingMessage } from '../chat/adapter.js';
import type { RenderedCard } from '../chat/card.js';
import { renderCardText } from '../chat/card-text.js';
import type { ChatUser, Conversation, MessageRef } from '../chat/incoming.js';

/**
 * A message the bot posted, in its latest state: the object is live, updated in place (`card`,
 * `text`, `updates`) whenever the bot edits the message. Use {@link snapshot} to keep it as shown.
 */
export interface TestMessage {
  ref: MessageRef;
  conversation: Conversation;
  card: RenderedCard;
  /** Plain-text rendering of the card. */
  text: string;
  /** Only the addressee could see it (ephemeral). */
  private: boolean;
  /** Who a private message was for. */
  to?: string;
  /** How many times it was updated. */
  updates: number;
}

/**
 * A frozen copy of a message as it is now. Clicking the copy presses its buttons as they were shown
 * then (e.g. a second approver on a card the first click has already closed); the bot's answer still
 * updates the live message.
 */
export function snapshot(message: TestMessage): TestMessage {
  return Object.freeze(structuredClone(message));
}

/** An adapter that keeps everything in memory, for tests. */
export class MemoryAdapter implements Adapter {
  readonly platform = 'shell';
  readonly messages: TestMessage[] = [];
  /** Every send and update in order, for listening to what a request produced. */
  readonly events: { type: 'send' | 'update'; message: TestMessage }[] = [];
  host?: AdapterHost;
  /** Set to act like a platform with teams: the bot's own teams, for `#name` channel rules. */
  homeTeams?: () => readonly string[];
  private ready = false;
  private next = 1;

  module(): AdapterModule<unknown> {
    return {
      name: 'memory',
      create: (host) => {
        this.host = host;
        return this;
      },
    };
  }

  async start(): Promise<void> {
    this.ready = true;
  }

  async stop(): Promise<void> {
    this.ready = false;
  }

  isReady(): boolean {
    return this.ready;
  }

  async send(message: OutgoingMessage): Promise<MessageRef> {
    const ref: MessageRef = {
      platform: this.platform,
      conversationId: message.conversation.id,
      id: String(this.next++),
      ...(message.conversation.threadId ? { threadId: message.conversation.threadId } : {}),
    };
    const stored: TestMessage = {
      ref,
      conversation: message.conversation,
      card: message.card,
      text: renderCardText(message.card),
      private: Boolean(message.privateTo),
      ...(message.privateTo ? { to: message.privateTo.id } : {}),
      updates: 0,
    };
    this.messages.push(stored);
    this.events.push({ type: 'send', message: stored });
    return ref;
  }

  async update(ref: MessageRef, card: RenderedCard): Promise<void> {
    const stored = this.messages.find((message) => message.ref.id === ref.id);
    if (!stored) throw new Error(`no message ${ref.id} to update`);
    stored.card = card;
    stored.text = renderCardText(card);
    stored.updates += 1;
    this.events.push({ type: 'update', message: stored });
  }

  async resolveConversation(name: string): Promise<Conversation> {
    if (name.startsWith('@')) return { id: name.slice(1), name, kind: 'dm' };
    const bare = name.replace(/^#/, '');
    return { id: bare, name: bare, kind: 'channel' };
  }

  async lookupUser(id: string): Promise<ChatUser | undefined> {
    return { id, name: id };
  }
}
