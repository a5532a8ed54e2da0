import type { EmulatedChannel, EmulatedMessage, EmulatedUser, Workspace } from './workspace.js';

/** The (deprecated) verification token Slack still puts in payloads. */
export const VERIFICATION_TOKEN = 'emulator-verification-token';

/** Escapes `&`, `<`, `>` as Slack does in message text. */
export function escapeSlackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `channel_type` of a message event for a conversation. */
function channelType(channel: EmulatedChannel): 'channel' | 'group' | 'im' {
  return channel.kind;
}

/** A `message` event as Slack sends it for a user's (or a bot's) message. */
export function messageEvent(workspace: Workspace, message: EmulatedMessage): Record<string, unknown> {
  const channel = workspace.channels.get(message.channel);
  const author = workspace.users.get(message.user);
  return {
    ...(message.botId ? {} : { client_msg_id: workspace.ids.envelopeId() }),
    type: 'message',
    text: message.text,
    user: message.user,
    ts: message.ts,
    team: workspace.app.teamId,
    ...(message.blocks ? { blocks: message.blocks } : {}),
    ...(message.botId
      ? {
          bot_id: message.botId,
          app_id: author?.id === workspace.app.botUserId ? workspace.app.appId : undefined,
          bot_profile: {
            id: message.botId,
            name: author?.name,
            deleted: false,
            team_id: workspace.app.teamId,
          },
        }
      : {}),
    ...(message.threadTs ? { thread_ts: message.threadTs, parent_user_id: message.user } : {}),
    channel: message.channel,
    event_ts: message.ts,
    channel_type: channel ? channelType(channel) : 'channel',
  };
}

/** An `app_mention` event (no `channel_type`, as Slack sends it). */
export function appMentionEvent(workspace: Workspace, message: EmulatedMessage): Record<string, unknown> {
  return {
    client_msg_id: workspace.ids.envelopeId(),
    type: 'app_mention',
    text: message.text,
    user: message.user,
    ts: message.ts,
    team: workspace.app.teamId,
    ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
    channel: message.channel,
    event_ts: message.ts,
  };
}

/** A `message_changed` event after `chat.update`. */
export function messageChangedEvent(workspace: Workspace, message: EmulatedMessage): Record<string, unknown> {
  const ts = workspace.clock.next(message.channel);
  return {
    type: 'message',
    subtype: 'message_changed',
    hidden: true,
    message: {
      type: 'message',
      text: message.text,
      user: message.user,
      bot_id: message.botId,
      ts: message.ts,
    },
    channel: message.channel,
    ts,
    event_ts: ts,
    channel_type: workspace.channels.get(message.channel)?.kind ?? 'channel',
  };
}

/** Wraps an event in Slack's `event_callback` envelope. */
export function eventCallback(workspace: Workspace, event: Record<string, unknown>): Record<string, unknown> {
  const eventTime = Math.floor(Date.now() / 1000);
  return {
    token: VERIFICATION_TOKEN,
    team_id: workspace.app.teamId,
    context_team_id: workspace.app.teamId,
    context_enterprise_id: null,
    api_app_id: workspace.app.appId,
    event,
    type: 'event_callback',
    event_id: workspace.ids.next('Ev'),
    event_time: eventTime,
    authorizations: [
      {
        enterprise_id: null,
        team_id: workspace.app.teamId,
        user_id: workspace.app.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${workspace.ids.secret()}`,
  };
}

/** The fields Slack sends for a slash command (all strings). */
export function slashCommandPayload(
  workspace: Workspace,
  input: { user: EmulatedUser; channel: EmulatedChannel; command: string; text: string; responseUrl: string },
): Record<string, string> {
  return {
    token: VERIFICATION_TOKEN,
    team_id: workspace.app.teamId,
    team_domain: workspace.app.teamDomain,
    channel_id: input.channel.id,
    channel_name: input.channel.kind === 'im' ? 'directmessage' : input.channel.name,
    user_id: input.user.id,
    user_name: input.user.name,
    command: input.command,
    text: input.text,
    api_app_id: workspace.app.appId,
    is_enterprise_install: 'false',
    response_url: input.responseUrl,
    trigger_id: triggerId(workspace),
  };
}

/** A `block_actions` payload for a click on `button` of `message`. */
export function blockActionsPayload(
  workspace: Workspace,
  input: {
    user: EmulatedUser;
    channel: EmulatedChannel;
    message: EmulatedMessage;
    blockId: string;
    button: Record<string, unknown>;
    responseUrl: string;
  },
): Record<string, unknown> {
  const { message } = input;
  const actionTs = workspace.clock.next(`actions:${message.channel}`);
  return {
    type: 'block_actions',
    user: {
      id: input.user.id,
      username: input.user.name,
      name: input.user.name,
      team_id: workspace.app.teamId,
    },
    api_app_id: workspace.app.appId,
    token: VERIFICATION_TOKEN,
    container: {
      type: 'message',
      message_ts: message.ts,
      channel_id: message.channel,
      is_ephemeral: message.visibleTo !== undefined,
    },
    trigger_id: triggerId(workspace),
    team: { id: workspace.app.teamId, domain: workspace.app.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    channel: {
      id: input.channel.id,
      name: input.channel.kind === 'im' ? 'directmessage' : input.channel.name,
    },
    ...(message.visibleTo === undefined
      ? {
          message: {
            bot_id: message.botId,
            type: 'message',
            text: message.text,
            user: message.user,
            ts: message.ts,
            team: workspace.app.teamId,
            blocks: message.blocks,
            ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
          },
        }
      : {}),
    state: { values: {} },
    response_url: input.responseUrl,
    actions: [
      {
        action_id: input.button.action_id,
        block_id: input.blockId,
        text: input.button.text,
        value: input.button.value,
        ...(input.button.style ? { style: input.button.style } : {}),
        type: 'button',
        action_ts: actionTs,
      },
    ],
  };
}

function triggerId(workspace: Workspace): string {
  return `${Date.now()}.${workspace.app.teamId.slice(1)}.${workspace.ids.secret()}`;
}
