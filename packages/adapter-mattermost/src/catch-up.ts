import { backoffDelay, sleepUnlessAborted } from '@chatops/core';
import type { ChannelDirectory } from './channel-directory.js';
import type { PostHints } from './event-receiver.js';
import type { Logger } from './logger.js';
import type { MattermostChannel, MattermostPost } from './mattermost-types.js';
import type { RestClient } from './rest-client.js';

interface PostList {
  order: string[];
  posts: Record<string, MattermostPost>;
}

/** How a catch-up retries. */
export interface CatchUpOptions {
  log: Logger;
  /** Stops retrying (shutdown). */
  signal: AbortSignal;
  minDelayMs: number;
  maxDelayMs: number;
}

/**
 * Fetches the posts created after `since` in every channel the bot is in (`GET /channels/{id}/posts
 * ?since=`) and hands each to `handle`, oldest first per channel. A channel (or the channel list) that
 * fails is fetched again with backoff until it succeeds; a channel already fetched is not fetched again,
 * so each post is handed over once. Returns how many posts there were, or undefined when stopped first.
 */
export async function catchUp(
  rest: RestClient,
  channels: ChannelDirectory,
  since: number,
  handle: (post: MattermostPost, hints: PostHints) => void,
  options: CatchUpOptions,
): Promise<number | undefined> {
  let count = 0;
  let pending: MattermostChannel[] | undefined;
  for (let attempt = 0; !options.signal.aborted; attempt++) {
    try {
      pending ??= await channels.memberships();
      const failed: MattermostChannel[] = [];
      for (const channel of pending) {
        const posts = await postsSince(rest, channel, since).catch((error: unknown) => {
          options.log.warn(
            { err: (error as Error).message, channel: channel.id },
            'mattermost catch-up failed for a channel; retrying',
          );
          failed.push(channel);
          return [];
        });
        for (const post of posts) {
          handle(post, { channelType: channel.type, channelName: channel.name });
          count += 1;
        }
      }
      pending = failed;
      if (pending.length === 0) return count;
    } catch (error) {
      options.log.warn(
        { err: (error as Error).message },
        'mattermost catch-up cannot list channels; retrying',
      );
    }
    await sleepUnlessAborted(backoffDelay(attempt, options.minDelayMs, options.maxDelayMs), options.signal);
  }
  return undefined;
}

async function postsSince(rest: RestClient, channel: MattermostChannel, since: number) {
  const list = (await rest.getPostsSince(channel.id, since)) as unknown as PostList;
  return Object.values(list.posts ?? {})
    .filter((post) => post.channel_id === channel.id && post.create_at > since && !post.delete_at)
    .sort((a, b) => a.create_at - b.create_at);
}
