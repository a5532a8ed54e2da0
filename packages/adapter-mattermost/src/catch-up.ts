import type { AdapterHost } from '@chatops/core';
import type { ChannelDirectory } from './channel-directory.js';
import type { MattermostPost } from './mattermost-types.js';
import type { PostHints } from './post-receiver.js';
import type { RestClient } from './rest-client.js';

interface PostList {
  order: string[];
  posts: Record<string, MattermostPost>;
}

/**
 * Fetches the posts created after `since` in every channel the bot is in (`GET /channels/{id}/posts
 * ?since=`) and hands each to `handle`, oldest first. Returns how many there were.
 */
export async function catchUp(
  rest: RestClient,
  channels: ChannelDirectory,
  since: number,
  handle: (post: MattermostPost, hints: PostHints) => void,
  log: AdapterHost['log'],
): Promise<number> {
  let count = 0;
  for (const channel of await channels.memberships()) {
    let list: PostList;
    try {
      list = (await rest.getPostsSince(channel.id, since)) as unknown as PostList;
    } catch (error) {
      log.warn(
        { err: (error as Error).message, channel: channel.id },
        'mattermost catch-up failed for a channel',
      );
      continue;
    }
    const posts = Object.values(list.posts ?? {})
      .filter((post) => post.channel_id === channel.id && post.create_at > since && !post.delete_at)
      .sort((a, b) => a.create_at - b.create_at);
    for (const post of posts) {
      handle(post, { channelType: channel.type, channelName: channel.name });
      count += 1;
    }
  }
  return count;
}
