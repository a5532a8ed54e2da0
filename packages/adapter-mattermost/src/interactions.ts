import type { Incoming } from '@chatops/core';
import type { RenderedPost } from './render/card-renderer.js';

/** A slash command or click whose HTTP request is still waiting for its answer. */
export interface OpenInteraction {
  readonly incoming: Incoming;
  /** The clicked post (clicks only). */
  readonly postId?: string;
  /** Private replies to the requester, answered in the HTTP response (ephemeral). */
  readonly privateReplies: RenderedPost[];
  /** The clicked post's replacement, answered as `update`. */
  update?: RenderedPost;
}

/**
 * While Mattermost waits for the answer to a slash command or a click, private replies and the update
 * of the clicked post go into that answer: ephemeral text works for any bot there (the REST endpoint for
 * ephemeral posts needs a system admin), and the update lands without another request.
 */
export class Interactions {
  private readonly open = new Set<OpenInteraction>();

  begin(incoming: Incoming, postId?: string): OpenInteraction {
    const interaction: OpenInteraction = { incoming, privateReplies: [], ...(postId ? { postId } : {}) };
    this.open.add(interaction);
    return interaction;
  }

  end(interaction: OpenInteraction): void {
    this.open.delete(interaction);
  }

  /** The open interaction a private reply to `replyTo` for `userId` belongs to. */
  forPrivateReply(replyTo: Incoming | undefined, userId: string): OpenInteraction | undefined {
    if (!replyTo) return undefined;
    for (const interaction of this.open) {
      if (interaction.incoming === replyTo && interaction.incoming.user.id === userId) return interaction;
    }
    return undefined;
  }

  /** The open click on `postId`. */
  forUpdate(postId: string): OpenInteraction | undefined {
    for (const interaction of this.open) if (interaction.postId === postId) return interaction;
    return undefined;
  }
}
