import type { Logger } from 'pino';
import type { CardSigner } from '../actions/card-signer.js';
import type { Adapter } from '../chat/adapter.js';
import { hasContent, type RenderedCard, type Reply, toCard } from '../chat/card.js';
import type { Conversation, Incoming, MessageRef } from '../chat/incoming.js';
import { chatUser, type Principal } from '../chat/principal.js';
import type { ChatopsConfig } from '../config/schema.js';
import type { PostedCards } from './posted-cards.js';

/** Where a reply goes besides its conversation. */
export interface PostOptions {
  /** The message or click being answered (threads, Slack `response_url`). */
  replyTo?: Incoming;
  /** Only this person sees it (ephemeral where the platform can, a DM otherwise). */
  privateTo?: Principal;
}

/** What {@link Delivery} posts through. */
export interface DeliveryDeps {
  adapter: Adapter;
  /** The adapter's name in the config (`shell`, `slack`): notification routes are keyed by it. */
  adapterName: string;
  notifications: ChatopsConfig['notifications'];
  signer: CardSigner;
  postedCards: PostedCards;
  log: Logger;
}

/**
 * Everything the robot says goes out here: replies, updates and notifications. Cards are signed for the
 * conversation they go to (their buttons become tokens), empty replies are dropped, and cards with
 * buttons are remembered so a click's outcome can be added to the card that was clicked.
 */
export class Delivery {
  constructor(private readonly deps: DeliveryDeps) {}

  /** Posts a reply to a conversation, or to a channel or person by name (resolved by the adapter). */
  async post(
    conversation: Conversation | string,
    reply: Reply,
    options: PostOptions = {},
  ): Promise<MessageRef | undefined> {
    const card = toCard(reply);
    if (!hasContent(card)) {
      this.deps.log.warn('an empty reply was not posted');
      return undefined;
    }
    const target =
      typeof conversation === 'string' ? await this.resolveConversation(conversation) : conversation;
    const rendered = this.deps.signer.sign(card, target.id);
    const { privateTo } = options;
    const ref = await this.deps.adapter.send({
      conversation: target,
      card: rendered,
      replyTo: options.replyTo,
      privateTo: privateTo ? chatUser(privateTo) : undefined,
    });
    if (rendered.actions.length > 0) await this.deps.postedCards.remember(ref, rendered);
    return ref;
  }

  /** Replaces a message the robot posted. An empty reply leaves the message as it is. */
  async update(ref: MessageRef, reply: Reply): Promise<void> {
    const card = toCard(reply);
    if (!hasContent(card)) {
      this.deps.log.warn('an empty update was not applied');
      return;
    }
    await this.updateSigned(ref, this.deps.signer.sign(card, ref.conversationId));
  }

  /** Replaces a message with a card whose buttons are already signed (they keep their tokens). */
  async updateSigned(ref: MessageRef, card: RenderedCard): Promise<void> {
    await this.deps.adapter.update(ref, card);
    await this.deps.postedCards.remember(ref, card);
  }

  /** What a message the robot posted with buttons shows now (for an hour after). */
  postedCard(ref: MessageRef): Promise<RenderedCard | undefined> {
    return this.deps.postedCards.get(ref);
  }

  /** Posts to every conversation a notification route names for the active adapter. */
  async notify(route: string, reply: Reply): Promise<MessageRef[]> {
    const { adapter, adapterName } = this.deps;
    const routes = this.deps.notifications[route];
    // Routes are keyed by adapter name (`shell`, `slack`) or by platform.
    const targets = routes?.[adapterName] ?? routes?.[adapter.platform];
    if (targets === undefined) {
      this.deps.log.warn(
        { route, adapter: adapter.platform },
        'notification route has no target for this adapter',
      );
      return [];
    }
    const refs: MessageRef[] = [];
    for (const target of Array.isArray(targets) ? targets : [targets]) {
      const ref = await this.post(target, reply);
      if (ref) refs.push(ref);
    }
    return refs;
  }

  private async resolveConversation(name: string): Promise<Conversation> {
    const { adapter } = this.deps;
    if (!adapter.resolveConversation) return { id: name, name, kind: 'channel' };
    const resolved = await adapter.resolveConversation(name);
    if (!resolved) throw new Error(`no conversation "${name}" on ${adapter.platform}`);
    return resolved;
  }
}
