import {
  type AdapterHost,
  type ChatUser,
  type Conversation,
  type IncomingMessage,
  InFlight,
} from '@chatops/core';
import { addressPost } from './addressing.js';
import type { ChannelDirectory } from './channel-directory.js';
import type { MattermostPost, MattermostUser, WebSocketEvent } from './mattermost-types.js';
import type { UserDirectory } from './user-directory.js';

/** What a `posted` event says about the channel and sender besides the post. */
export interface PostHints {
  channelType?: string;
  channelName?: string;
  senderName?: string;
}

/** Turns posts (from `posted` events or a catch-up) into incoming messages for the robot. */
export class EventReceiver {
  /** `create_at` of the newest post seen: where a catch-up starts. */
  newestPostAt = 0;
  private readonly inFlight = new InFlight();

  constructor(
    private readonly host: AdapterHost,
    private readonly users: UserDirectory,
    private readonly channels: ChannelDirectory,
    private readonly me: () => MattermostUser,
  ) {}

  onEvent(event: WebSocketEvent): void {
    if (event.event !== 'posted') return;
    const post = parsePost(event.data.post);
    if (!post) {
      this.host.log.warn('mattermost posted event without a readable post');
      return;
    }
    void this.handle(post, {
      channelType: stringOrUndefined(event.data.channel_type),
      channelName: stringOrUndefined(event.data.channel_name),
      senderName: stringOrUndefined(event.data.sender_name),
    });
  }

  /** Hands one post to the robot (the robot drops a post id it has seen already). */
  handle(post: MattermostPost, hints: PostHints = {}): Promise<void> {
    this.newestPostAt = Math.max(this.newestPostAt, post.create_at);
    const work = this.dispatch(post, hints).catch((error: Error) => {
      this.host.log.error({ err: error.message, post: post.id }, 'mattermost post could not be handled');
    });
    return this.inFlight.track(work);
  }

  /** Resolves when every post taken so far has been handled (including ones taken meanwhile). */
  async drain(): Promise<void> {
    await this.inFlight.drain();
  }

  private async dispatch(post: MattermostPost, hints: PostHints): Promise<void> {
    const me = this.me();
    if (post.user_id === me.id || post.delete_at || post.type?.startsWith('system_') || !post.message) return;
    const user = await this.sender(post, hints);
    const channel = await this.channels.get(post.channel_id);
    const channelType = hints.channelType ?? channel.type;
    const channelName = hints.channelName ?? channel.name;
    const isDirect = channelType === 'D';
    // Without its team (a failed lookup), `#name` rules do not match the channel.
    const team = isDirect ? undefined : await this.channels.teamOf(channel).catch(() => undefined);
    const { addressed, text } = addressPost(post.message, me.username, isDirect);
    const conversation: Conversation = {
      id: post.channel_id,
      name: isDirect ? `@${user.name}` : channelName,
      ...(team ? { team } : {}),
      kind: isDirect ? 'dm' : post.root_id ? 'thread' : 'channel',
      ...(post.root_id ? { threadId: post.root_id } : {}),
    };
    const incoming: IncomingMessage = {
      type: 'message',
      platform: 'mattermost',
      user,
      conversation,
      text,
      addressed,
      messageId: post.id,
      eventId: post.id,
      raw: post,
    };
    const result = await this.host.receive(incoming);
    this.host.log.debug({ post: post.id, status: result.status }, 'mattermost post handled');
  }

  private async sender(post: MattermostPost, hints: PostHints): Promise<ChatUser> {
    const fromIntegration = post.props?.from_bot === 'true' || post.props?.from_webhook === 'true';
    try {
      const user = await this.users.lookup(post.user_id);
      return fromIntegration ? { ...user, isBot: true } : user;
    } catch {
      const name = hints.senderName?.replace(/^@/, '') || post.user_id;
      return { id: post.user_id, name, ...(fromIntegration ? { isBot: true } : {}) };
    }
  }
}

/** `data.post` is a JSON string (reference §0.7). */
export function parsePost(value: unknown): MattermostPost | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const post = JSON.parse(value) as MattermostPost;
    return typeof post?.id === 'string' && typeof post.channel_id === 'string' ? post : undefined;
  } catch {
    return undefined;
  }
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
