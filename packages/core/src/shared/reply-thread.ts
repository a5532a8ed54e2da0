import type { OutgoingMessage } from '../chat/adapter.js';

/**
 * The thread a message goes into: the thread of its conversation, if any; else, when `threadReplies`
 * is on, a thread under the channel message it answers (not for a slash command, a click, a DM, or an
 * answer posted in another conversation); else none, and it goes to the conversation itself.
 *
 * @example
 * const threadTs = replyThread(message, config.threadReplies);
 * await web.chat.postMessage({ channel: message.conversation.id, text, ...(threadTs ? { thread_ts: threadTs } : {}) });
 */
export function replyThread(message: OutgoingMessage, threadReplies: boolean): string | undefined {
  const { conversation, replyTo } = message;
  if (conversation.threadId) return conversation.threadId;
  if (!threadReplies || replyTo?.type !== 'message' || replyTo.slash) return undefined;
  if (replyTo.conversation.kind !== 'channel' || replyTo.conversation.id !== conversation.id)
    return undefined;
  return replyTo.messageId;
}
