import type { RenderedCard } from '../chat/card.js';
import type { MessageRef } from '../chat/incoming.js';
import type { Store } from '../store/store.js';

/** How long a card with buttons is remembered for the outcome of a click. */
const REMEMBER_MS = 60 * 60 * 1000;

/**
 * The cards the robot posted with buttons, by message, so that a click's outcome can be added to the
 * card that was clicked instead of replacing it. Kept in the store for an hour, so every replica
 * sharing it sees them; a click after that gets the outcome as the new message.
 */
export class PostedCards {
  constructor(private readonly store: Store) {}

  /** Remembers what `ref` shows now (forgets it when it has no buttons any more). */
  async remember(ref: MessageRef | undefined, card: RenderedCard): Promise<void> {
    if (!ref?.id) return;
    if (card.actions.length === 0) await this.store.delete(keyOf(ref));
    else await this.store.set(keyOf(ref), card, { ttlMs: REMEMBER_MS });
  }

  /** What `ref` showed when it was last posted or updated by the robot. */
  get(ref: MessageRef): Promise<RenderedCard | undefined> {
    return this.store.get<RenderedCard>(keyOf(ref));
  }
}

function keyOf(ref: MessageRef): string {
  return `chatops:card:${ref.platform}:${ref.conversationId}:${ref.id}`;
}
