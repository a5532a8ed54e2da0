import { type MessageRef, type OutgoingMessage, type RenderedCard, replyThread } from '@chatops/core';
import type { Interactions } from './interactions.js';
import type { Logger } from './logger.js';
import type { Attachment, MattermostChannel, MattermostPost, MattermostUser } from './mattermost-types.js';
import { type OutgoingFile, type RenderedPost, renderPost } from './render/card-renderer.js';
import { splitMessage, truncateMessage } from './render/split-message.js';
import { MattermostApiError, type RestClient } from './rest-client.js';

/** Settings the sender needs. */
export interface SenderOptions {
  limit: number;
  replyInThread: boolean;
  /** Where buttons POST (known once the HTTP server listens); no buttons without it. */
  actionUrl: () => string | undefined;
}

/** The post body `POST /posts` takes. */
interface NewPost {
  channel_id: string;
  message: string;
  root_id?: string;
  file_ids?: string[];
  props?: Record<string, unknown>;
}

/** Posts and updates cards: threads, long output, private replies and their fallbacks. */
export class MessageSender {
  /** Unknown until tried: only system admins may create ephemeral posts over REST. */
  private ephemeralAllowed: boolean | undefined;

  constructor(
    private readonly rest: RestClient,
    private readonly interactions: Interactions,
    private readonly options: SenderOptions,
    private readonly me: () => MattermostUser,
    private readonly log: Logger,
  ) {}

  render(card: RenderedCard): RenderedPost {
    return renderPost(card, { actionUrl: this.options.actionUrl(), limit: this.options.limit });
  }

  async send(message: OutgoingMessage): Promise<MessageRef | undefined> {
    const rendered = this.render(message.card);
    if (message.privateTo) return this.sendPrivately(message, rendered, message.privateTo.id);
    try {
      return await this.post(
        message.conversation.id,
        rendered,
        replyThread(message, this.options.replyInThread),
      );
    } catch (error) {
      // A slash command can come from a channel the bot is not in: answer the requester instead.
      const slash = message.replyTo?.type === 'message' && message.replyTo.slash;
      if (slash && error instanceof MattermostApiError && error.status === 403) {
        return this.sendPrivately(message, rendered, message.replyTo!.user.id);
      }
      throw error;
    }
  }

  async update(ref: MessageRef, card: RenderedCard): Promise<void> {
    const rendered = this.render(card);
    const open = this.interactions.forUpdate(ref.id);
    if (open) {
      open.update = rendered;
      return;
    }
    const patch: Record<string, unknown> = {
      id: ref.id,
      message: truncateMessage(rendered.message, this.options.limit),
      props: rendered.attachment ? { attachments: [rendered.attachment] } : {},
    };
    if (rendered.files.length) patch.file_ids = await this.upload(ref.conversationId, rendered.files);
    await this.rest.patchPost(patch as never);
  }

  private async sendPrivately(
    message: OutgoingMessage,
    rendered: RenderedPost,
    userId: string,
  ): Promise<MessageRef | undefined> {
    const open = this.interactions.forPrivateReply(message.replyTo, userId);
    if (open) {
      open.privateReplies.push(rendered);
      return undefined;
    }
    if (this.ephemeralAllowed !== false) {
      try {
        await this.rest.createPostEphemeral(userId, {
          channel_id: message.conversation.id,
          message: truncateMessage(rendered.message, this.options.limit),
          ...(message.conversation.threadId ? { root_id: message.conversation.threadId } : {}),
          props: rendered.attachment ? { attachments: [rendered.attachment] } : {},
        } as never);
        this.ephemeralAllowed = true;
        return undefined;
      } catch (error) {
        if (!(error instanceof MattermostApiError && error.status === 403)) throw error;
        this.ephemeralAllowed = false;
        this.log.info('mattermost: the bot may not post ephemeral messages; private replies go by DM');
      }
    }
    const dm = (await this.rest.createDirectChannel([this.me().id, userId])) as MattermostChannel;
    return this.post(dm.id, withCardChannel(rendered, message.conversation.id), undefined);
  }

  private async post(
    channelId: string,
    rendered: RenderedPost,
    rootId: string | undefined,
  ): Promise<MessageRef> {
    const fileIds = rendered.files.length ? await this.upload(channelId, rendered.files) : [];
    const parts = splitMessage(rendered.message, this.options.limit);
    let last: MattermostPost | undefined;
    for (const [index, part] of parts.entries()) {
      const isLast = index === parts.length - 1;
      const body: NewPost = { channel_id: channelId, message: part };
      if (index === 0 && fileIds.length) body.file_ids = fileIds;
      if (isLast && rendered.attachment) body.props = { attachments: [rendered.attachment] };
      last = await this.create(body, rootId);
      rootId = last.root_id || rootId;
    }
    return {
      platform: 'mattermost',
      conversationId: channelId,
      id: last!.id,
      ...(last!.root_id ? { threadId: last!.root_id } : {}),
    };
  }

  /** Creates a post; a `root_id` that is itself a reply is replaced by its thread's root. */
  private async create(body: NewPost, rootId: string | undefined): Promise<MattermostPost> {
    try {
      return (await this.rest.createPost({
        ...body,
        ...(rootId ? { root_id: rootId } : {}),
      } as never)) as MattermostPost;
    } catch (error) {
      if (!rootId || !(error instanceof MattermostApiError) || !error.id?.includes('root_id')) throw error;
      const parent = (await this.rest.getPost(rootId).catch(() => undefined)) as MattermostPost | undefined;
      const root = parent?.root_id && parent.channel_id === body.channel_id ? parent.root_id : undefined;
      this.log.warn({ rootId, root }, 'mattermost rejected the thread root; retrying');
      return (await this.rest.createPost({
        ...body,
        ...(root ? { root_id: root } : {}),
      } as never)) as MattermostPost;
    }
  }

  private async upload(channelId: string, files: OutgoingFile[]): Promise<string[]> {
    const ids: string[] = [];
    for (const file of files.slice(0, 5)) {
      const form = new FormData();
      form.append('channel_id', channelId);
      form.append('files', new Blob([file.content], { type: 'text/plain' }), file.name);
      const result = (await this.rest.uploadFile(form)) as { file_infos: { id: string }[] };
      ids.push(...result.file_infos.map((info) => info.id));
    }
    return ids;
  }
}

/**
 * Buttons posted somewhere else than the card's conversation (a DM fallback) keep the conversation
 * their tokens are bound to in the (server-side, confidential) context.
 */
function withCardChannel(rendered: RenderedPost, channelId: string): RenderedPost {
  if (!rendered.attachment?.actions) return rendered;
  const attachment: Attachment = {
    ...rendered.attachment,
    actions: rendered.attachment.actions.map((action) => ({
      ...action,
      integration: { ...action.integration, context: { ...action.integration.context, channel: channelId } },
    })),
  };
  return { ...rendered, attachment };
}
