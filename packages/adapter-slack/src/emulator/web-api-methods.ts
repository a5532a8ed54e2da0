import { validateBlocks } from './block-validation.js';
import { storeBlocks } from './stored-blocks.js';
import { WebApiError } from './web-api-error.js';
import type { EmulatedChannel, EmulatedMessage, EmulatedUser, Workspace } from './workspace.js';

/** Slack truncates message text above this many characters (and warns). */
const MAX_TEXT = 40_000;

/** What the Web API tells the rest of the emulator. */
export interface WebApiHooks {
  /** The bot posted a (non-ephemeral) message. */
  messagePosted(message: EmulatedMessage): void;
  /** The bot edited a message. */
  messageUpdated(message: EmulatedMessage): void;
  /** Base URL for upload URLs. */
  baseUrl(): string;
  /** Whether a scope was granted. */
  hasScope(scope: string): boolean;
}

type Args = Record<string, unknown>;
type Method = (args: Args) => Record<string, unknown>;

function str(args: Args, key: string): string | undefined {
  const value = args[key];
  if (value === undefined || value === null || value === '') return undefined;
  return String(value);
}

function required(args: Args, key: string): string {
  const value = str(args, key);
  if (value === undefined)
    throw new WebApiError('invalid_arguments', {
      response_metadata: { messages: [`[ERROR] missing required field: ${key}`] },
    });
  return value;
}

/** The Web API methods the adapter uses, with Slack's arguments, responses and errors. */
export class WebApiMethods {
  readonly table: Record<string, Method>;

  constructor(
    private readonly workspace: Workspace,
    private readonly hooks: WebApiHooks,
  ) {
    this.table = {
      'auth.test': () => this.authTest(),
      'chat.postMessage': (args) => this.postMessage(args),
      'chat.postEphemeral': (args) => this.postEphemeral(args),
      'chat.update': (args) => this.update(args),
      'chat.delete': (args) => this.deleteMessage(args),
      'users.info': (args) => this.usersInfo(args),
      'users.lookupByEmail': (args) => this.usersLookupByEmail(args),
      'conversations.info': (args) => this.conversationsInfo(args),
      'conversations.open': (args) => this.conversationsOpen(args),
      'conversations.list': (args) => this.conversationsList(args),
      'files.getUploadURLExternal': (args) => this.getUploadUrl(args),
      'files.completeUploadExternal': (args) => this.completeUpload(args),
    };
  }

  private authTest(): Record<string, unknown> {
    const { app } = this.workspace;
    return {
      url: `https://${app.teamDomain}.slack.com/`,
      team: 'ChatOps Emulator',
      user: app.botName,
      team_id: app.teamId,
      user_id: app.botUserId,
      bot_id: app.botId,
      app_id: app.appId,
      is_enterprise_install: false,
    };
  }

  /** Resolves a `channel` argument: an id, a name, `#name`, or a user id (their DM). */
  private channel(args: Args, key = 'channel'): EmulatedChannel {
    const value = required(args, key);
    const channel = this.workspace.findChannel(value);
    if (channel) return channel;
    const user = this.workspace.users.get(value);
    if (user && !user.isBot) return this.workspace.directChannel(user.id);
    throw new WebApiError('channel_not_found');
  }

  private content(args: Args): { text: string; blocks?: Record<string, unknown>[]; warnings: string[] } {
    const warnings: string[] = [];
    let text = str(args, 'text') ?? '';
    if (args.blocks !== undefined) {
      const problem = validateBlocks(args.blocks);
      if (problem) throw new WebApiError(problem);
    }
    if (!text && args.blocks === undefined && args.attachments === undefined)
      throw new WebApiError('no_text');
    if (text.length > MAX_TEXT) {
      text = text.slice(0, MAX_TEXT);
      warnings.push('message_truncated');
    }
    const blocks = storeBlocks(args.blocks, this.workspace.ids);
    return { text, ...(blocks ? { blocks } : {}), warnings };
  }

  private postMessage(args: Args): Record<string, unknown> {
    const channel = this.channel(args);
    const { message, warnings } = this.postAsBot(channel, args);
    this.hooks.messagePosted(message);
    return {
      channel: channel.id,
      ts: message.ts,
      message: this.messageJson(message),
      ...withWarnings(warnings),
    };
  }

  private postEphemeral(args: Args): Record<string, unknown> {
    const channel = this.channel(args);
    const user = this.user(required(args, 'user'));
    if (channel.kind === 'im' && channel.name !== user.id) throw new WebApiError('user_not_in_channel');
    const { message, warnings } = this.postAsBot(channel, args, user.id);
    return { message_ts: message.ts, ...withWarnings(warnings) };
  }

  /** Posts as the bot where it may post (a DM, or a channel it is in), optionally visible to one user. */
  private postAsBot(channel: EmulatedChannel, args: Args, visibleTo?: string) {
    if (channel.kind !== 'im' && !channel.members.has(this.workspace.app.botUserId)) {
      throw new WebApiError('not_in_channel');
    }
    const { text, blocks, warnings } = this.content(args);
    const threadTs = str(args, 'thread_ts');
    const message = this.workspace.post({
      channel: channel.id,
      user: this.workspace.app.botUserId,
      botId: this.workspace.app.botId,
      text,
      ...(visibleTo ? { visibleTo } : {}),
      ...(blocks ? { blocks } : {}),
      ...(threadTs ? { threadTs } : {}),
    });
    return { message, warnings };
  }

  private update(args: Args): Record<string, unknown> {
    const channel = this.channel(args);
    const message = this.workspace.message(channel.id, required(args, 'ts'));
    if (!message || message.deleted) throw new WebApiError('message_not_found');
    if (message.visibleTo !== undefined || message.user !== this.workspace.app.botUserId) {
      throw new WebApiError('cant_update_message');
    }
    const { text, blocks, warnings } = this.content(args);
    message.text = text;
    if (blocks) message.blocks = blocks;
    else if (args.blocks !== undefined) delete message.blocks;
    message.edits += 1;
    this.hooks.messageUpdated(message);
    return {
      channel: channel.id,
      ts: message.ts,
      text,
      message: this.messageJson(message),
      ...withWarnings(warnings),
    };
  }

  private deleteMessage(args: Args): Record<string, unknown> {
    const channel = this.channel(args);
    const message = this.workspace.message(channel.id, required(args, 'ts'));
    if (!message || message.deleted) throw new WebApiError('message_not_found');
    if (message.user !== this.workspace.app.botUserId) throw new WebApiError('cant_delete_message');
    message.deleted = true;
    return { channel: channel.id, ts: message.ts };
  }

  private user(id: string): EmulatedUser {
    const user = this.workspace.users.get(id);
    if (!user) throw new WebApiError('user_not_found');
    return user;
  }

  /** `users.lookupByEmail`: the same user object as users.info, or `users_not_found`. */
  private usersLookupByEmail(args: Args): Record<string, unknown> {
    const email = String(required(args, 'email')).toLowerCase();
    const user = [...this.workspace.users.values()].find(
      (candidate) => candidate.email?.toLowerCase() === email,
    );
    if (!user) throw new WebApiError('users_not_found');
    return this.usersInfo({ user: user.id });
  }

  private usersInfo(args: Args): Record<string, unknown> {
    const user = this.user(required(args, 'user'));
    const { app } = this.workspace;
    const email = user.email && this.hooks.hasScope('users:read.email') ? { email: user.email } : {};
    return {
      user: {
        id: user.id,
        team_id: app.teamId,
        name: user.name,
        deleted: false,
        color: '9f69e7',
        real_name: user.realName,
        tz: 'Europe/London',
        tz_label: 'Greenwich Mean Time',
        tz_offset: 0,
        profile: {
          real_name: user.realName,
          display_name: user.name,
          real_name_normalized: user.realName,
          display_name_normalized: user.name,
          ...email,
          ...(user.botId ? { bot_id: user.botId } : {}),
          team: app.teamId,
        },
        is_admin: false,
        is_owner: false,
        is_primary_owner: false,
        is_restricted: false,
        is_ultra_restricted: false,
        is_bot: user.isBot,
        is_app_user: false,
        updated: Math.floor(Date.now() / 1000),
        has_2fa: false,
      },
    };
  }

  private channelJson(channel: EmulatedChannel): Record<string, unknown> {
    const created = 1_700_000_000;
    if (channel.kind === 'im') {
      return {
        id: channel.id,
        created,
        is_im: true,
        is_org_shared: false,
        user: channel.name,
        is_user_deleted: false,
      };
    }
    return {
      id: channel.id,
      name: channel.name,
      is_channel: channel.kind === 'channel',
      is_group: channel.kind === 'group',
      is_im: false,
      is_mpim: false,
      is_private: channel.kind === 'group',
      created,
      is_archived: false,
      is_general: channel.name === 'general',
      name_normalized: channel.name,
      is_shared: false,
      is_ext_shared: false,
      is_org_shared: false,
      is_member: channel.members.has(this.workspace.app.botUserId),
      creator: this.workspace.app.botUserId,
      topic: { value: '', creator: '', last_set: 0 },
      purpose: { value: '', creator: '', last_set: 0 },
    };
  }

  private conversationsInfo(args: Args): Record<string, unknown> {
    const id = required(args, 'channel');
    const channel = this.workspace.channels.get(id);
    if (!channel) throw new WebApiError('channel_not_found');
    return { channel: this.channelJson(channel) };
  }

  private conversationsOpen(args: Args): Record<string, unknown> {
    const users = String(required(args, 'users')).split(',').filter(Boolean);
    if (users.length !== 1)
      throw new WebApiError('not_implemented', { detail: 'the emulator opens 1:1 DMs only' });
    const user = this.user(users[0]!);
    const channel = this.workspace.directChannel(user.id);
    return { no_op: false, already_open: false, channel: { id: channel.id } };
  }

  private conversationsList(args: Args): Record<string, unknown> {
    const types = (str(args, 'types') ?? 'public_channel').split(',');
    const limit = Math.min(Number(str(args, 'limit') ?? 100), 1000);
    const start = Number(str(args, 'cursor') ?? 0);
    const all = [...this.workspace.channels.values()].filter(
      (channel) =>
        (channel.kind === 'channel' && types.includes('public_channel')) ||
        (channel.kind === 'group' && types.includes('private_channel')) ||
        (channel.kind === 'im' && types.includes('im')),
    );
    const page = all.slice(start, start + limit);
    const next = start + limit < all.length ? String(start + limit) : '';
    return {
      channels: page.map((channel) => this.channelJson(channel)),
      response_metadata: { next_cursor: next },
    };
  }

  private getUploadUrl(args: Args): Record<string, unknown> {
    const filename = required(args, 'filename');
    const length = Number(required(args, 'length'));
    if (!Number.isInteger(length) || length < 0) throw new WebApiError('invalid_arguments');
    const id = this.workspace.ids.next('F');
    this.workspace.files.set(id, { id, filename, length, completed: false });
    return { upload_url: `${this.hooks.baseUrl()}/upload/v1/${id}`, file_id: id };
  }

  private completeUpload(args: Args): Record<string, unknown> {
    const files = args.files;
    if (!Array.isArray(files) || files.length === 0) throw new WebApiError('invalid_arguments');
    const channelId = str(args, 'channel_id');
    const channel = channelId ? this.channel(args, 'channel_id') : undefined;
    const threadTs = str(args, 'thread_ts');
    const initialComment = str(args, 'initial_comment');
    const completed = files.map((entry: { id?: string; title?: string }) => {
      const file = entry.id ? this.workspace.files.get(entry.id) : undefined;
      if (!file?.content) throw new WebApiError('file_not_found');
      file.completed = true;
      if (entry.title) file.title = entry.title;
      if (channel) file.channel = channel.id;
      if (threadTs) file.threadTs = threadTs;
      if (initialComment) file.initialComment = initialComment;
      return file;
    });
    if (channel) {
      this.workspace.post({
        channel: channel.id,
        user: this.workspace.app.botUserId,
        botId: this.workspace.app.botId,
        text: initialComment ?? '',
        files: completed.map((file) => file.id),
        ...(threadTs ? { threadTs } : {}),
      });
    }
    return {
      files: completed.map((file) => ({
        id: file.id,
        name: file.filename,
        title: file.title ?? file.filename,
        size: file.length,
        ...(channel ? { channels: [channel.id] } : {}),
      })),
    };
  }

  private messageJson(message: EmulatedMessage): Record<string, unknown> {
    return {
      type: 'message',
      user: message.user,
      bot_id: message.botId,
      app_id: this.workspace.app.appId,
      text: message.text,
      ts: message.ts,
      team: this.workspace.app.teamId,
      ...(message.blocks ? { blocks: message.blocks } : {}),
      ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
    };
  }
}

function withWarnings(warnings: string[]): Record<string, unknown> {
  if (warnings.length === 0) return {};
  return {
    warning: warnings.join(','),
    response_metadata: {
      warnings,
      messages: [
        '[WARN] Your message was truncated but still posted. The `text` field accepts up to 40,000 characters.',
      ],
    },
  };
}
