import {
  type CardFile,
  type IncomingAction,
  type IncomingMessage,
  type MessageRef,
  type OutgoingMessage,
  type RenderedCard,
  renderCardText,
  replyThread,
} from '@chatops/core';
import type { WebClient } from '@slack/web-api';
import { renderMessage, type SlackMessage } from './block-kit.js';
import type { ChannelPacer } from './channel-pacer.js';
import type { Logger } from './logger.js';
import { postToResponseUrl, ResponseUrlError } from './response-url.js';
import type { ResponseUrlBudget } from './response-url-budget.js';
import { slackError } from './slack-error.js';

/** Slack errors after which a private reply is sent another way (the bot is not in the channel, …). */
const EPHEMERAL_FALLBACK = new Set([
  'channel_not_found',
  'not_in_channel',
  'user_not_in_channel',
  'is_archived',
]);
/** Errors for blocks Slack would not take; the message is sent as plain text plus a file instead. */
const BLOCKS_REJECTED = new Set([
  'invalid_blocks',
  'invalid_blocks_format',
  'msg_blocks_too_long',
  'msg_too_long',
]);
/** A message `ts` (`1700000000.000100`); refs without one were posted through a response_url. */
const MESSAGE_TS = /^\d+\.\d+$/;

type Replied = IncomingMessage | IncomingAction | undefined;

/** The response_url of a slash command being answered (also for `ctx.execute` from one). */
function slashResponseUrl(replyTo: Replied): string | undefined {
  if (replyTo?.type !== 'message') return undefined;
  const raw = replyTo.raw as { command?: unknown; response_url?: unknown } | undefined;
  return typeof raw?.command === 'string' && typeof raw.response_url === 'string'
    ? raw.response_url
    : undefined;
}

/** The response_url of a click being answered. */
function clickResponseUrl(replyTo: Replied): string | undefined {
  return replyTo?.type === 'action' ? replyTo.message?.extra?.responseUrl : undefined;
}

/** Posts and updates messages: threads, slash-command responses, ephemerals, pacing, files. */
export class MessageSender {
  constructor(
    private readonly web: WebClient,
    private readonly pacer: ChannelPacer,
    private readonly responseUrls: ResponseUrlBudget,
    private readonly options: { threadReplies: boolean },
    private readonly log: Logger,
  ) {}

  async send(message: OutgoingMessage): Promise<MessageRef | undefined> {
    const rendered = renderMessage(message.card);
    const channel = message.conversation.id;
    const slashUrl = slashResponseUrl(message.replyTo);
    if (slashUrl && this.responseUrls.take(slashUrl)) {
      const ref = await this.pacer
        .run(channel, () => this.respond(slashUrl, rendered, message))
        .catch((error: unknown) => this.responseUrlFailed(error));
      if (ref) {
        await this.uploadFiles(rendered.files, message, undefined);
        return ref;
      }
    }
    if (message.privateTo) return this.sendPrivately(rendered, message);
    const threadTs = replyThread(message, this.options.threadReplies);
    const ref = await this.pacer.run(channel, () =>
      this.postMessage(channel, threadTs, rendered, message.card),
    );
    await this.uploadFiles(rendered.files, message, ref.threadId ?? ref.id);
    return ref;
  }

  async update(ref: MessageRef, card: RenderedCard): Promise<void> {
    const rendered = renderMessage(card);
    const responseUrl = ref.extra?.responseUrl;
    if (ref.extra?.ephemeral === 'true' || !MESSAGE_TS.test(ref.id)) {
      if (responseUrl && (await this.replaceThroughResponseUrl(responseUrl, rendered))) return;
      // An ephemeral message without a usable response_url cannot be edited: show the new state anew.
      const user = ref.extra?.user;
      if (user) {
        await this.postEphemeral(ref.conversationId, user, ref.threadId, rendered);
        return;
      }
      throw new Error('this Slack message can no longer be updated (its response_url expired)');
    }
    try {
      await this.web.chat.update({
        channel: ref.conversationId,
        ts: ref.id,
        text: rendered.text,
        blocks: rendered.blocks as never,
      });
    } catch (error) {
      const code = slackError(error);
      if (BLOCKS_REJECTED.has(code)) {
        const fallback = this.plainFallback(rendered, card);
        await this.web.chat.update({
          channel: ref.conversationId,
          ts: ref.id,
          text: fallback.text,
          blocks: [],
        });
        rendered.files = fallback.files;
      } else if (responseUrl && (code === 'cant_update_message' || code === 'message_not_found')) {
        if (!(await this.replaceThroughResponseUrl(responseUrl, rendered))) throw error;
      } else {
        throw error;
      }
    }
    if (rendered.files.length > 0) {
      await this.upload(ref.conversationId, ref.threadId ?? ref.id, rendered.files);
    }
  }

  private async respond(url: string, rendered: SlackMessage, message: OutgoingMessage): Promise<MessageRef> {
    const isPrivate = Boolean(message.privateTo);
    await postToResponseUrl(url, {
      response_type: isPrivate ? 'ephemeral' : 'in_channel',
      text: rendered.text,
      blocks: rendered.blocks,
    });
    return {
      platform: 'slack',
      conversationId: message.conversation.id,
      id: `response_url:${Date.now()}`,
      extra: {
        responseUrl: url,
        ephemeral: String(isPrivate),
        ...(message.privateTo ? { user: message.privateTo.id } : {}),
      },
    };
  }

  private responseUrlFailed(error: unknown): undefined {
    if (!(error instanceof ResponseUrlError)) throw error;
    this.log.warn(
      { status: error.status, error: error.code },
      'response_url refused; answering through the Web API',
    );
    return undefined;
  }

  private async replaceThroughResponseUrl(url: string, rendered: SlackMessage): Promise<boolean> {
    if (!this.responseUrls.take(url)) return false;
    try {
      await postToResponseUrl(url, { replace_original: true, text: rendered.text, blocks: rendered.blocks });
      return true;
    } catch (error) {
      this.responseUrlFailed(error);
      return false;
    }
  }

  private async sendPrivately(
    rendered: SlackMessage,
    message: OutgoingMessage,
  ): Promise<MessageRef | undefined> {
    const user = message.privateTo!.id;
    const channel = message.conversation.id;
    const threadTs = message.conversation.threadId;
    let ephemeral: MessageRef | undefined;
    try {
      ephemeral = await this.pacer.run(channel, () => this.postEphemeral(channel, user, threadTs, rendered));
    } catch (error) {
      if (!EPHEMERAL_FALLBACK.has(slackError(error))) throw error;
    }
    if (ephemeral) {
      await this.uploadFiles(rendered.files, message, undefined);
      return ephemeral;
    }
    const clickUrl = clickResponseUrl(message.replyTo);
    if (clickUrl && this.responseUrls.take(clickUrl)) {
      const viaUrl = await this.respond(clickUrl, rendered, message).catch((error: unknown) =>
        this.responseUrlFailed(error),
      );
      if (viaUrl) return viaUrl;
    }
    // Not possible in that channel: say it in a direct message instead.
    const dm = await this.dmWith(user);
    const ref = await this.pacer.run(dm, () => this.postMessage(dm, undefined, rendered, message.card));
    await this.uploadFiles(rendered.files, { ...message, conversation: { id: dm, kind: 'dm' } }, undefined);
    return ref;
  }

  private async postEphemeral(
    channel: string,
    user: string,
    threadTs: string | undefined,
    rendered: SlackMessage,
  ): Promise<MessageRef> {
    const result = await this.web.chat.postEphemeral({
      channel,
      user,
      text: rendered.text,
      blocks: rendered.blocks as never,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
    return {
      platform: 'slack',
      conversationId: channel,
      id: result.message_ts ?? '',
      ...(threadTs ? { threadId: threadTs } : {}),
      extra: { ephemeral: 'true', user },
    };
  }

  private async postMessage(
    channel: string,
    threadTs: string | undefined,
    rendered: SlackMessage,
    card: RenderedCard,
  ): Promise<MessageRef> {
    const args = {
      channel,
      text: rendered.text,
      unfurl_links: false,
      unfurl_media: false,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    };
    let result: Awaited<ReturnType<WebClient['chat']['postMessage']>>;
    try {
      result = await this.web.chat.postMessage({ ...args, blocks: rendered.blocks as never });
    } catch (error) {
      if (!BLOCKS_REJECTED.has(slackError(error))) throw error;
      this.log.warn({ error: slackError(error) }, 'Slack refused the blocks; sending plain text with a file');
      const fallback = this.plainFallback(rendered, card);
      rendered.files = fallback.files;
      result = await this.web.chat.postMessage({ ...args, text: fallback.text });
    }
    return {
      platform: 'slack',
      conversationId: result.channel ?? channel,
      id: result.ts ?? '',
      ...(threadTs ? { threadId: threadTs } : {}),
    };
  }

  /** Text-only form of a message Slack refused: the fallback text, with the whole card in a file. */
  private plainFallback(rendered: SlackMessage, card: RenderedCard): { text: string; files: CardFile[] } {
    const content = renderCardText({ ...card, actions: [], file: undefined });
    const file: CardFile = { name: 'message.txt', title: card.title ?? 'Full message', content };
    return {
      text: `${rendered.text}\n_(the full message is in the attached file)_`,
      files: [...rendered.files, file],
    };
  }

  private async uploadFiles(
    files: CardFile[],
    message: OutgoingMessage,
    threadTs: string | undefined,
  ): Promise<void> {
    if (files.length === 0) return;
    const target = message.privateTo ? await this.dmWith(message.privateTo.id) : message.conversation.id;
    await this.upload(
      target,
      message.privateTo ? undefined : (threadTs ?? message.conversation.threadId),
      files,
    );
  }

  private async upload(channel: string, threadTs: string | undefined, files: CardFile[]): Promise<void> {
    for (const file of files) {
      try {
        // Content goes as a string: a string `file` would be read from disk.
        const upload = {
          channel_id: channel,
          content: file.content,
          filename: file.name,
          title: file.title ?? file.name,
        };
        await this.web.filesUploadV2(threadTs ? { ...upload, thread_ts: threadTs } : upload);
      } catch (error) {
        this.log.error(
          { file: file.name, channel, error: slackError(error) },
          'file upload failed (is files:write granted?)',
        );
      }
    }
  }

  private async dmWith(user: string): Promise<string> {
    const opened = await this.web.conversations.open({ users: user });
    if (!opened.channel?.id) throw new Error(`could not open a direct message with ${user}`);
    return opened.channel.id;
  }
}
