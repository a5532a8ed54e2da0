import type { ChatUser, Conversation, IncomingAction, IncomingMessage } from '@chatops/core';
import { commandText, stripMention } from './inbound-text.js';

/** Who the bot is on Slack (from `auth.test`). */
export interface SlackIdentity {
  userId: string;
  botId?: string;
  teamId?: string;
}

/** The `message` subtypes that are still a person talking. */
const USER_SUBTYPES = new Set([undefined, 'thread_broadcast', 'file_share', 'me_message']);

type Json = Record<string, unknown>;

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

function conversation(
  channel: string,
  name: string | undefined,
  threadTs: string | undefined,
  isDm: boolean,
): Conversation {
  return {
    id: channel,
    ...(name && !isDm ? { name: `#${name}` } : {}),
    kind: isDm ? 'dm' : threadTs ? 'thread' : 'channel',
    ...(threadTs ? { threadId: threadTs } : {}),
  };
}

/**
 * An Events API `event_callback` as an incoming message, or undefined when it is not for the robot:
 * the bot's own posts, edits/joins and other subtypes, and channel messages that mention the bot
 * (those arrive again as `app_mention`, which is handled instead).
 */
export function eventToIncoming(body: Json, identity: SlackIdentity): IncomingMessage | undefined {
  const event = body.event as Json | undefined;
  if (!event) return undefined;
  const type = event.type;
  if (type !== 'message' && type !== 'app_mention') return undefined;
  if (type === 'message' && !USER_SUBTYPES.has(event.subtype as string | undefined)) return undefined;
  const userId = str(event.user);
  const botId = str(event.bot_id);
  const channel = str(event.channel);
  const text = typeof event.text === 'string' ? event.text : '';
  if (!channel || (!userId && !botId)) return undefined;
  if (userId === identity.userId || (botId && botId === identity.botId)) return undefined;
  const isDm = event.channel_type === 'im' || (type === 'message' && channel.startsWith('D'));
  const mentionsBot = text.includes(`<@${identity.userId}`);
  if (type === 'message' && !isDm && mentionsBot) return undefined;
  const threadTs = str(event.thread_ts);
  const user: ChatUser = { id: userId ?? botId!, name: userId ?? botId!, ...(botId ? { isBot: true } : {}) };
  const command = commandText(type === 'app_mention' ? stripMention(text, identity.userId) : text);
  return {
    type: 'message',
    platform: 'slack',
    user,
    conversation: conversation(channel, undefined, threadTs, isDm),
    text: command,
    addressed: isDm || type === 'app_mention',
    ...(str(event.ts) ? { messageId: str(event.ts) } : {}),
    ...(str(body.event_id) ? { eventId: str(body.event_id) } : {}),
    raw: body,
  };
}

/** A slash command (its text is the command line). */
export function slashCommandToIncoming(body: Json): IncomingMessage | undefined {
  const userId = str(body.user_id);
  const channel = str(body.channel_id);
  if (!userId || !channel) return undefined;
  const channelName = str(body.channel_name);
  const isDm = channel.startsWith('D') || channelName === 'directmessage';
  return {
    type: 'message',
    platform: 'slack',
    user: { id: userId, name: str(body.user_name) ?? userId },
    conversation: conversation(channel, channelName, undefined, isDm),
    text: commandText(typeof body.text === 'string' ? body.text : ''),
    addressed: true,
    slash: true,
    ...(str(body.trigger_id) ? { eventId: `command:${str(body.trigger_id)}` } : {}),
    raw: body,
  };
}

/** Button clicks of a `block_actions` payload, one incoming action per button. */
export function blockActionsToIncoming(body: Json): IncomingAction[] {
  if (body.type !== 'block_actions') return [];
  const user = body.user as Json | undefined;
  const container = (body.container ?? {}) as Json;
  const message = body.message as Json | undefined;
  const channel = str(container.channel_id) ?? str((body.channel as Json | undefined)?.id);
  const userId = str(user?.id);
  if (!userId || !channel) return [];
  const channelName = str((body.channel as Json | undefined)?.name);
  const isDm = channel.startsWith('D') || channelName === 'directmessage';
  const threadTs = str(message?.thread_ts);
  const messageTs = str(container.message_ts) ?? str(message?.ts);
  const responseUrl = str(body.response_url);
  const actions = Array.isArray(body.actions) ? (body.actions as Json[]) : [];
  return actions
    .filter((action) => action.type === 'button' && typeof action.value === 'string')
    .map((action) => ({
      type: 'action' as const,
      platform: 'slack',
      token: action.value as string,
      user: { id: userId, name: str(user?.username) ?? str(user?.name) ?? userId },
      conversation: conversation(channel, channelName, threadTs, isDm),
      ...(messageTs
        ? {
            message: {
              platform: 'slack',
              conversationId: channel,
              id: messageTs,
              ...(threadTs ? { threadId: threadTs } : {}),
              extra: {
                ...(responseUrl ? { responseUrl } : {}),
                ephemeral: String(container.is_ephemeral === true),
              },
            },
          }
        : {}),
      eventId: `action:${str(body.trigger_id) ?? ''}:${str(action.action_ts) ?? ''}`,
      raw: body,
    }));
}
