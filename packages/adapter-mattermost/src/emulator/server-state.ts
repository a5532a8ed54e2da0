import { AppError, invalidParam, noPermission, notFound } from './app-error.js';
import { newId } from './ids.js';
import type {
  ChannelRecord,
  ChannelType,
  FileRecord,
  PostRecord,
  StoredAction,
  TeamRecord,
  UserRecord,
} from './model.js';

/** `model.PostMessageMaxRunesV2`. */
export const MAX_MESSAGE_RUNES = 16383;

/** What a client may set when creating a post. */
export interface PostInput {
  channel_id: string;
  message: string;
  root_id?: string;
  file_ids?: string[];
  props?: Record<string, unknown>;
  type?: string;
}

/** What a patch may change (`PostPatch`). */
export interface PostPatchInput {
  message?: string;
  props?: Record<string, unknown> | null;
  file_ids?: string[];
  is_pinned?: boolean;
}

/** The emulated server's data: users, teams, channels, posts and files, with the server's rules. */
export class ServerState {
  readonly users = new Map<string, UserRecord>();
  readonly teams = new Map<string, TeamRecord>();
  readonly channels = new Map<string, ChannelRecord>();
  readonly posts = new Map<string, PostRecord>();
  readonly files = new Map<string, FileRecord>();
  private readonly tokens = new Map<string, string>();
  private lastTime = 0;

  /** A strictly increasing epoch-millisecond clock, so posts never share a `create_at`. */
  now(): number {
    this.lastTime = Math.max(Date.now(), this.lastTime + 1);
    return this.lastTime;
  }

  addUser(fields: Partial<UserRecord> & { username: string }): UserRecord {
    const user: UserRecord = {
      id: newId(),
      email: `${fields.username}@example.com`,
      first_name: '',
      last_name: '',
      nickname: '',
      is_bot: false,
      roles: 'system_user',
      create_at: this.now(),
      ...fields,
    };
    this.users.set(user.id, user);
    return user;
  }

  addToken(userId: string): string {
    const token = newId();
    this.tokens.set(token, userId);
    return token;
  }

  userForToken(token: string): UserRecord | undefined {
    const id = this.tokens.get(token);
    return id === undefined ? undefined : this.users.get(id);
  }

  user(id: string): UserRecord {
    const user = this.users.get(id);
    if (!user) throw notFound('app.user.missing_account.const', 'user');
    return user;
  }

  userByEmail(email: string): UserRecord {
    for (const user of this.users.values()) if (user.email.toLowerCase() === email.toLowerCase()) return user;
    throw notFound('app.user.missing_account.const', 'user');
  }

  userByName(username: string): UserRecord {
    for (const user of this.users.values()) if (user.username === username) return user;
    throw notFound('app.user.missing_account.const', 'user');
  }

  addTeam(name: string, displayName = name): TeamRecord {
    const team: TeamRecord = {
      id: newId(),
      name,
      display_name: displayName,
      create_at: this.now(),
      members: new Set(),
    };
    this.teams.set(team.id, team);
    return team;
  }

  teamByName(name: string): TeamRecord {
    for (const team of this.teams.values()) if (team.name === name) return team;
    throw notFound('app.team.get_by_name.missing.app_error', 'team');
  }

  addChannel(team: TeamRecord, name: string, type: ChannelType, members: string[]): ChannelRecord {
    const channel: ChannelRecord = {
      id: newId(),
      team_id: team.id,
      type,
      name,
      display_name: name,
      create_at: this.now(),
      last_post_at: 0,
      delete_at: 0,
      members: new Set(members),
    };
    for (const member of members) team.members.add(member);
    this.channels.set(channel.id, channel);
    return channel;
  }

  channel(id: string): ChannelRecord {
    const channel = this.channels.get(id);
    if (!channel) throw notFound('app.channel.get.existing.app_error', 'channel');
    return channel;
  }

  /** Reading a channel: public ones by anyone, others by members. */
  readableChannel(id: string, userId: string): ChannelRecord {
    const channel = this.channel(id);
    if (channel.type !== 'O' && !channel.members.has(userId)) throw noPermission();
    return channel;
  }

  channelByName(teamId: string, name: string): ChannelRecord {
    for (const channel of this.channels.values()) {
      if (channel.team_id === teamId && channel.name === name) return channel;
    }
    throw notFound('app.channel.get_by_name.missing.app_error', 'channel');
  }

  /** Get-or-create of a DM; `created` is true on first creation. */
  directChannel(a: string, b: string): { channel: ChannelRecord; created: boolean } {
    for (const id of [a, b]) {
      if (!this.users.has(id)) {
        throw new AppError(
          400,
          'api.channel.create_direct_channel.invalid_user.app_error',
          'Invalid user ID for direct channel creation.',
        );
      }
    }
    const name = [a, b].sort().join('__');
    for (const channel of this.channels.values()) {
      if (channel.type === 'D' && channel.name === name) return { channel, created: false };
    }
    const channel: ChannelRecord = {
      id: newId(),
      team_id: '',
      type: 'D',
      name,
      display_name: '',
      create_at: this.now(),
      last_post_at: 0,
      delete_at: 0,
      members: new Set([a, b]),
    };
    this.channels.set(channel.id, channel);
    return { channel, created: true };
  }

  channelsOf(userId: string, teamId: string): ChannelRecord[] {
    return [...this.channels.values()].filter(
      (channel) => channel.members.has(userId) && (channel.team_id === teamId || channel.team_id === ''),
    );
  }

  post(id: string): PostRecord {
    const post = this.posts.get(id);
    if (!post || post.delete_at) throw notFound('app.post.get.app_error', 'post');
    return post;
  }

  createPost(userId: string, input: PostInput): PostRecord {
    if (typeof input.channel_id !== 'string' || !input.channel_id) throw invalidParam('channel_id');
    const channel = this.channels.get(input.channel_id);
    if (!channel?.members.has(userId)) throw noPermission();
    if (channel.delete_at) {
      throw new AppError(
        400,
        'api.post.create_post.can_not_post_to_deleted.error',
        'Can not post to deleted channel.',
      );
    }
    if (input.type?.startsWith('system_')) throw invalidParam('post.type');
    const message = typeof input.message === 'string' ? input.message : '';
    rejectOversized(message);
    const rootId = input.root_id ?? '';
    const root = rootId ? this.validRoot(rootId, channel.id) : undefined;
    const fileIds = this.validFiles(input.file_ids ?? []);
    const user = this.user(userId);
    const now = this.now();
    const props = withActionIds({ ...(input.props ?? {}) });
    if (user.is_bot) props.from_bot = 'true';
    const post = newPost(
      {
        user_id: userId,
        channel_id: channel.id,
        root_id: rootId,
        message,
        type: input.type ?? '',
        props,
        file_ids: fileIds,
      },
      now,
    );
    this.posts.set(post.id, post);
    channel.last_post_at = now;
    if (root) {
      root.reply_count += 1;
      root.last_reply_at = now;
      root.update_at = now;
    }
    return post;
  }

  /** `PUT /posts/{id}/patch`: omitted fields stay. */
  patchPost(userId: string, postId: string, patch: PostPatchInput): PostRecord {
    const post = this.editablePost(userId, postId);
    const message = patch.message ?? post.message;
    rejectOversized(message);
    return this.applyEdit(post, {
      message,
      props: patch.props === undefined || patch.props === null ? post.props : patch.props,
      file_ids: patch.file_ids ?? post.file_ids,
      is_pinned: patch.is_pinned ?? post.is_pinned,
    });
  }

  /** `PUT /posts/{id}`: omitted `message` and `props` are blanked. */
  updatePost(userId: string, postId: string, body: Record<string, unknown>): PostRecord {
    if (body.id !== postId) throw invalidParam('id');
    const post = this.editablePost(userId, postId);
    const message = typeof body.message === 'string' ? body.message : '';
    rejectOversized(message);
    return this.applyEdit(post, {
      message,
      props: isRecord(body.props) ? body.props : {},
      file_ids: post.file_ids,
      is_pinned: typeof body.is_pinned === 'boolean' ? body.is_pinned : post.is_pinned,
    });
  }

  /** The update an integration answered a click with (`PostActionIntegrationResponse.update`). */
  applyIntegrationUpdate(postId: string, update: Record<string, unknown>): PostRecord {
    const post = this.post(postId);
    const kept = ['from_webhook', 'override_username', 'override_icon_url'];
    let props = post.props;
    if (isRecord(update.props)) {
      props = { ...update.props };
      for (const key of kept) if (key in post.props) props[key] = post.props[key];
    }
    const message = typeof update.message === 'string' ? update.message : post.message;
    rejectOversized(message);
    return this.applyEdit(post, { message, props, file_ids: post.file_ids, is_pinned: post.is_pinned });
  }

  addFile(userId: string, channelId: string, name: string, mimeType: string, content: Buffer): FileRecord {
    const channel = this.channels.get(channelId);
    if (!channel?.members.has(userId)) throw noPermission();
    const file: FileRecord = {
      id: newId(),
      user_id: userId,
      channel_id: channelId,
      name,
      mime_type: mimeType,
      content,
      create_at: this.now(),
    };
    this.files.set(file.id, file);
    return file;
  }

  /** Posts of a channel changed after `since` (`GetPostsSince` compares `UpdateAt > since`). */
  postsSince(channelId: string, since: number): PostRecord[] {
    return [...this.posts.values()]
      .filter((post) => post.channel_id === channelId && post.update_at > since)
      .sort((a, b) => b.create_at - a.create_at);
  }

  postsOf(channelId: string): PostRecord[] {
    return [...this.posts.values()]
      .filter((post) => post.channel_id === channelId && !post.delete_at)
      .sort((a, b) => b.create_at - a.create_at);
  }

  private validRoot(rootId: string, channelId: string): PostRecord {
    const root = this.posts.get(rootId);
    if (root?.root_id !== '' || root.delete_at) {
      throw new AppError(400, 'api.post.create_post.root_id.app_error', 'Invalid RootId parameter.');
    }
    if (root.channel_id !== channelId) {
      throw new AppError(
        400,
        'api.post.create_post.channel_root_id.app_error',
        'Invalid ChannelId for RootId parameter.',
      );
    }
    return root;
  }

  private validFiles(fileIds: string[]): string[] {
    if (!Array.isArray(fileIds) || fileIds.length > 5) throw invalidParam('file_ids');
    for (const id of fileIds) if (!this.files.has(id)) throw invalidParam('file_ids');
    return [...fileIds];
  }

  private editablePost(userId: string, postId: string): PostRecord {
    const post = this.post(postId);
    const user = this.user(userId);
    if (post.user_id !== userId && !user.roles.includes('system_admin')) throw noPermission();
    if (this.channel(post.channel_id).delete_at) {
      throw new AppError(
        400,
        'api.post.update_post.can_not_update_post_in_deleted.error',
        'Can not update post in deleted channel.',
      );
    }
    return post;
  }

  private applyEdit(
    post: PostRecord,
    next: Pick<PostRecord, 'message' | 'props' | 'file_ids' | 'is_pinned'>,
  ): PostRecord {
    const now = this.now();
    const props = withActionIds({ ...next.props });
    if (post.props.from_bot) props.from_bot = post.props.from_bot;
    const changed =
      next.message !== post.message ||
      JSON.stringify(next.file_ids) !== JSON.stringify(post.file_ids) ||
      JSON.stringify(props.attachments) !== JSON.stringify(post.props.attachments);
    Object.assign(post, next, { props, update_at: now, edit_at: changed ? now : post.edit_at });
    return post;
  }
}

function rejectOversized(message: string): void {
  if ([...message].length > MAX_MESSAGE_RUNES) {
    throw new AppError(400, 'model.post.is_valid.message_length.app_error', 'Invalid Message parameter.');
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The server generates missing action ids. */
function withActionIds(props: Record<string, unknown>): Record<string, unknown> {
  if (!Array.isArray(props.attachments)) return props;
  props.attachments = props.attachments.map((attachment: Record<string, unknown>) => {
    if (!isRecord(attachment) || !Array.isArray(attachment.actions)) return attachment;
    return {
      ...attachment,
      actions: attachment.actions.map((action: StoredAction) =>
        action.id ? action : { ...action, id: newId() },
      ),
    };
  });
  return props;
}

/** A post as the server stores it: what was given, with the server's own fields filled in. */
export function newPost(
  given: Pick<PostRecord, 'user_id' | 'channel_id' | 'root_id' | 'message' | 'type' | 'props' | 'file_ids'>,
  now: number,
): PostRecord {
  return {
    id: newId(),
    create_at: now,
    update_at: now,
    edit_at: 0,
    delete_at: 0,
    is_pinned: false,
    original_id: '',
    hashtags: '',
    pending_post_id: '',
    reply_count: 0,
    last_reply_at: 0,
    participants: null,
    metadata: {},
    ...given,
  };
}
