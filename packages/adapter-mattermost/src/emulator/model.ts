/** Server-side records of the emulator, serialized with the real JSON field names. */

export interface UserRecord {
  id: string;
  username: string;
  email: string;
  first_name: string;
  last_name: string;
  nickname: string;
  is_bot: boolean;
  roles: string;
  create_at: number;
  bot_description?: string;
}

export interface TeamRecord {
  id: string;
  name: string;
  display_name: string;
  create_at: number;
  members: Set<string>;
}

export type ChannelType = 'O' | 'P' | 'D' | 'G';

export interface ChannelRecord {
  id: string;
  team_id: string;
  type: ChannelType;
  name: string;
  display_name: string;
  create_at: number;
  last_post_at: number;
  delete_at: number;
  members: Set<string>;
}

/** A message attachment action as stored (with its `integration`). */
export interface StoredAction {
  id?: string;
  type?: string;
  name?: string;
  style?: string;
  disabled?: boolean;
  integration?: { url?: string; context?: Record<string, unknown> };
  [key: string]: unknown;
}

export interface PostRecord {
  id: string;
  create_at: number;
  update_at: number;
  edit_at: number;
  delete_at: number;
  is_pinned: boolean;
  user_id: string;
  channel_id: string;
  root_id: string;
  original_id: string;
  message: string;
  type: string;
  props: Record<string, unknown>;
  hashtags: string;
  file_ids: string[];
  pending_post_id: string;
  reply_count: number;
  last_reply_at: number;
  participants: null;
  metadata: Record<string, unknown>;
}

export interface FileRecord {
  id: string;
  user_id: string;
  channel_id: string;
  name: string;
  mime_type: string;
  content: Buffer;
  create_at: number;
}

/** `GET /users/me`: the user with `Sanitize({})` (email kept). */
export function userJson(user: UserRecord, options: { showEmail: boolean; self: boolean }) {
  const json: Record<string, unknown> = {
    id: user.id,
    create_at: user.create_at,
    update_at: user.create_at,
    delete_at: 0,
    username: user.username,
    auth_data: '',
    auth_service: '',
    email: options.self || options.showEmail ? user.email : '',
    nickname: user.nickname,
    first_name: user.first_name,
    last_name: user.last_name,
    position: '',
    roles: user.roles,
    locale: 'en',
    timezone: { automaticTimezone: '', manualTimezone: '', useAutomaticTimezone: 'true' },
    disable_welcome_email: false,
  };
  if (options.self) {
    json.notify_props = {
      channel: 'true',
      comments: 'never',
      desktop: 'mention',
      desktop_sound: 'true',
      email: 'true',
      first_name: 'false',
      mention_keys: '',
      push: 'mention',
      push_status: 'away',
    };
    json.last_password_update = user.create_at;
  }
  if (user.is_bot) {
    json.is_bot = true;
    if (user.bot_description) json.bot_description = user.bot_description;
  }
  return json;
}

export function teamJson(team: TeamRecord) {
  return {
    id: team.id,
    create_at: team.create_at,
    update_at: team.create_at,
    delete_at: 0,
    display_name: team.display_name,
    name: team.name,
    description: '',
    email: '',
    type: 'O',
    company_name: '',
    allowed_domains: '',
    invite_id: '',
    allow_open_invite: false,
    scheme_id: null,
    group_constrained: null,
    policy_id: null,
  };
}

export function channelJson(channel: ChannelRecord) {
  return {
    id: channel.id,
    create_at: channel.create_at,
    update_at: channel.create_at,
    delete_at: channel.delete_at,
    team_id: channel.team_id,
    type: channel.type,
    display_name: channel.display_name,
    name: channel.name,
    header: '',
    purpose: '',
    last_post_at: channel.last_post_at,
    total_msg_count: 0,
    extra_update_at: 0,
    creator_id: '',
    scheme_id: null,
    props: null,
    group_constrained: null,
    shared: null,
    total_msg_count_root: 0,
    policy_id: null,
    last_root_post_at: channel.last_post_at,
    banner_info: null,
    policy_enforced: false,
  };
}

/** A post as clients see it: `integration` stripped from every attachment action (§0.8). */
export function postJson(post: PostRecord): Record<string, unknown> {
  const attachments = post.props.attachments;
  if (!Array.isArray(attachments)) return { ...post };
  const stripped = attachments.map((attachment: Record<string, unknown>) => {
    if (!Array.isArray(attachment.actions)) return attachment;
    return {
      ...attachment,
      actions: attachment.actions.map(({ integration: _hidden, ...action }: StoredAction) => action),
    };
  });
  return { ...post, props: { ...post.props, attachments: stripped } };
}

export function fileInfoJson(file: FileRecord) {
  const dot = file.name.lastIndexOf('.');
  return {
    id: file.id,
    user_id: file.user_id,
    channel_id: file.channel_id,
    create_at: file.create_at,
    update_at: file.create_at,
    delete_at: 0,
    name: file.name,
    extension: dot >= 0 ? file.name.slice(dot + 1) : '',
    size: file.content.length,
    mime_type: file.mime_type,
    has_preview_image: false,
    mini_preview: null,
    remote_id: '',
    archived: false,
  };
}
