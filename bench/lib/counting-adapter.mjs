import { renderCardText } from '@chatops/core';

/**
 * An in-memory adapter that renders every card to text and keeps nothing but counters, so a long run
 * measures the robot and not a growing message list. `onSend` sees every posted message.
 */
export class CountingAdapter {
  platform = 'shell';
  sent = 0;
  updates = 0;
  host;
  #ready = false;

  constructor({ onSend, onUpdate } = {}) {
    this.onSend = onSend;
    this.onUpdate = onUpdate;
  }

  module() {
    return {
      name: 'memory',
      create: (host) => {
        this.host = host;
        return this;
      },
    };
  }

  async start() {
    this.#ready = true;
  }

  async stop() {
    this.#ready = false;
  }

  isReady() {
    return this.#ready;
  }

  async send(message) {
    const text = renderCardText(message.card);
    this.sent += 1;
    this.onSend?.(message, text);
    return { platform: this.platform, conversationId: message.conversation.id, id: String(this.sent) };
  }

  async update(ref, card) {
    const text = renderCardText(card);
    this.updates += 1;
    this.onUpdate?.(ref, card, text);
  }

  async resolveConversation(name) {
    const bare = name.replace(/^#/, '');
    return { id: bare, name: bare, kind: 'channel' };
  }

  async lookupUser(id) {
    return { id, name: id };
  }
}
