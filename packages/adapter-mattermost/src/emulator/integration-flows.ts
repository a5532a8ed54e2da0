import { AppError, invalidParam, noPermission } from './app-error.js';
import { newId } from './ids.js';
import { type ActionResponse, type CommandResponse, postAction, postCommand } from './integrations.js';
import type { MattermostEmulator } from './mattermost-emulator.js';
import type { ChannelRecord, PostRecord, StoredAction, UserRecord } from './model.js';

/** The body of `POST /commands/execute`. */
export interface CommandArgs {
  channel_id?: string;
  command?: string;
  root_id?: string;
  team_id?: string;
}

/** `POST /commands/execute`: runs a custom slash command and applies its response. */
export async function executeCommand(
  emulator: MattermostEmulator,
  userId: string,
  body: CommandArgs,
): Promise<CommandResponse> {
  const line = body.command ?? '';
  if (!line.startsWith('/')) throw invalidParam('command');
  const channel = emulator.state.channel(body.channel_id ?? '');
  if (!channel.members.has(userId)) throw noPermission();
  const user = emulator.state.user(userId);
  const [word = '', ...rest] = line.slice(1).split(' ');
  const trigger = word.toLowerCase();
  const teamId = body.team_id || channel.team_id || [...emulator.state.teams.values()][0]?.id || '';
  const command = [...emulator.commands.values()].find((c) => c.trigger === trigger && c.teamId === teamId);
  if (!command) {
    throw new AppError(
      404,
      'api.command.execute_command.not_found.app_error',
      `Command with a trigger of '/${trigger}' not found.`,
    );
  }
  const team = emulator.state.teams.get(teamId);
  const response = await postCommand(
    command,
    {
      team_id: teamId,
      team_domain: team?.name ?? '',
      channel_id: channel.id,
      channel_name: channel.name,
      user_id: user.id,
      user_name: user.username,
      command: `/${trigger}`,
      text: rest.join(' '),
      trigger_id: emulator.dialogs.issueTrigger(user.id, channel.id),
      response_url: `${emulator.url}/hooks/commands/${command.id}`,
    },
    emulator.integrationTimeoutMs,
    emulator.integrationCalls,
  );
  for (const each of [response, ...(response.extra_responses ?? [])]) {
    applyCommandResponse(emulator, user, channel, each, body.root_id ?? '');
  }
  return response;
}

/** `POST /posts/{id}/actions/{action_id}`: calls the button's integration, applies its answer. */
export async function doPostAction(
  emulator: MattermostEmulator,
  userId: string,
  postId: string,
  actionId: string,
): Promise<{ status: string; trigger_id: string }> {
  const post = emulator.state.post(postId);
  const channel = emulator.state.channel(post.channel_id);
  if (!channel.members.has(userId) && channel.type !== 'O') throw noPermission();
  const action = findAction(post, actionId);
  if (!action?.integration?.url) {
    throw new AppError(404, 'api.post.do_action.action_id.app_error', 'Invalid action id.');
  }
  const user = emulator.state.user(userId);
  const team = emulator.state.teams.get(channel.team_id);
  const response: ActionResponse = await postAction(
    action.integration.url,
    {
      user_id: user.id,
      user_name: user.username,
      channel_id: channel.id,
      channel_name: channel.name,
      team_id: channel.team_id,
      team_domain: team?.name ?? '',
      post_id: post.id,
      trigger_id: emulator.dialogs.issueTrigger(user.id, channel.id),
      type: action.type ?? 'button',
      data_source: '',
      context: action.integration.context ?? {},
    },
    emulator.integrationTimeoutMs,
    emulator.integrationCalls,
  );
  if (response.update) emulator.applyIntegrationUpdate(post.id, response.update);
  if (response.ephemeral_text) {
    emulator.showEphemeral(userId, {
      id: newId(),
      channel_id: channel.id,
      root_id: post.root_id || post.id,
      user_id: post.user_id,
      message: response.ephemeral_text,
      type: 'system_ephemeral',
      props: {},
      create_at: emulator.state.now(),
    });
  }
  return { status: 'OK', trigger_id: newId() };
}

/** The action of a post with this id or label. */
export function findAction(post: PostRecord, idOrName: string): StoredAction | undefined {
  const attachments = Array.isArray(post.props.attachments) ? post.props.attachments : [];
  for (const attachment of attachments as { actions?: StoredAction[] }[]) {
    for (const action of attachment.actions ?? []) {
      if (action.id === idOrName || action.name === idOrName) return action;
    }
  }
  return undefined;
}

function applyCommandResponse(
  emulator: MattermostEmulator,
  user: UserRecord,
  channel: ChannelRecord,
  response: CommandResponse,
  rootId: string,
): void {
  const props: Record<string, unknown> = { ...(response.props ?? {}) };
  if (response.attachments?.length) props.attachments = response.attachments;
  const text = response.text ?? '';
  if (!text && !props.attachments) return;
  if (response.response_type === 'in_channel') {
    props.from_webhook = 'true';
    emulator.createPost(user.id, {
      channel_id: channel.id,
      message: text,
      root_id: rootId || undefined,
      props,
    });
    return;
  }
  emulator.showEphemeral(user.id, {
    id: newId(),
    channel_id: channel.id,
    root_id: rootId,
    user_id: user.id,
    message: text,
    type: 'system_ephemeral',
    props,
    create_at: emulator.state.now(),
  });
}
