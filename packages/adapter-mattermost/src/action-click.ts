import { createHash } from 'node:crypto';
import { type AdapterHost, type IncomingAction, withTimeout } from '@chatops/core';
import type { ChannelDirectory } from './channel-directory.js';
import type { Interactions } from './interactions.js';
import type { Attachment, MattermostPost } from './mattermost-types.js';
import { asEphemeralText, type RenderedPost } from './render/card-renderer.js';
import { escapePlain } from './render/escape.js';
import { truncateMessage } from './render/split-message.js';
import type { RestClient } from './rest-client.js';
import type { HttpAnswer } from './slash-command.js';

/** What the click route needs. */
export interface ActionClickOptions {
  host: AdapterHost;
  rest: RestClient;
  channels: ChannelDirectory;
  interactions: Interactions;
  ackTimeoutMs: number;
  confirmWindowMs: number;
  limit: number;
}

/** The `PostActionIntegrationRequest` fields used here. */
interface ClickRequest {
  user_id: string;
  user_name?: string;
  channel_id: string;
  channel_name?: string;
  post_id: string;
  context: { token: string; label?: unknown; confirm?: unknown; channel?: unknown };
}

/**
 * `POST /mattermost/actions`: a button click. The signed token from the (confidential) context goes to
 * the robot, which verifies it and authorizes the clicker; the answer is an `update` of the clicked post
 * with the outcome, or an `ephemeral_text` for a refusal. Buttons that ask to confirm need a second click.
 */
export async function handleActionClick(body: unknown, options: ActionClickOptions): Promise<HttpAnswer> {
  const click = parseClick(body);
  if (!click) return { status: 400, body: { ephemeral_text: 'Malformed action request.' } };
  const { host } = options;
  const label = typeof click.context.label === 'string' ? click.context.label : 'Action';
  if (typeof click.context.confirm === 'string') {
    const key = `mattermost:confirm:${click.post_id}:${click.user_id}:${digest(click.context.token)}`;
    if (await host.store.setIfAbsent(key, 1, { ttlMs: options.confirmWindowMs })) {
      const seconds = Math.round(options.confirmWindowMs / 1000);
      return {
        status: 200,
        body: {
          ephemeral_text: `${escapePlain(click.context.confirm)} Click **${escapePlain(label)}** again within ${seconds}s to confirm.`,
        },
      };
    }
    await host.store.delete(key);
  }
  const post = (await options.rest.getPost(click.post_id).catch(() => undefined)) as
    | MattermostPost
    | undefined;
  const channelType = await options.channels
    .get(click.channel_id)
    .then((channel) => channel.type)
    .catch(() => (click.channel_name?.includes('__') ? 'D' : 'O'));
  const threadId = post?.root_id || undefined;
  const isDirect = channelType === 'D';
  const userName = click.user_name || click.user_id;
  const incoming: IncomingAction = {
    type: 'action',
    platform: 'mattermost',
    user: { id: click.user_id, name: userName },
    conversation: {
      id: typeof click.context.channel === 'string' ? click.context.channel : click.channel_id,
      name: isDirect ? `@${userName}` : (click.channel_name ?? ''),
      kind: isDirect ? 'dm' : threadId ? 'thread' : 'channel',
      ...(threadId ? { threadId } : {}),
    },
    token: click.context.token,
    message: {
      platform: 'mattermost',
      conversationId: click.channel_id,
      id: click.post_id,
      ...(threadId ? { threadId } : {}),
    },
    raw: body,
  };
  const interaction = options.interactions.begin(incoming, click.post_id);
  const settled = await withTimeout(host.receive(incoming), options.ackTimeoutMs);
  options.interactions.end(interaction);
  if (!settled.done) return { status: 200, body: {} };
  const result = settled.value;
  const answer: Record<string, unknown> = {};
  if (interaction.update) {
    answer.update = toUpdate(interaction.update, options.limit);
  } else if (result.status === 'ok' && post) {
    answer.update = doneUpdate(post, `${label} · by @${userName}`);
  }
  const privateText = interaction.privateReplies.map(asEphemeralText).filter(Boolean).join('\n\n');
  if (privateText) answer.ephemeral_text = truncateMessage(privateText, options.limit);
  else if (result.status !== 'ok' && result.status !== 'ignored' && result.message)
    answer.ephemeral_text = result.message;
  return { status: 200, body: answer };
}

function toUpdate(rendered: RenderedPost, limit: number) {
  return {
    message: truncateMessage(rendered.message, limit),
    props: rendered.attachment ? { attachments: [rendered.attachment] } : {},
  };
}

/** The clicked post without its buttons, saying what was done and by whom. */
function doneUpdate(post: MattermostPost, note: string) {
  const attachments = (Array.isArray(post.props?.attachments) ? post.props.attachments : []) as Attachment[];
  const kept = attachments.map(({ actions: _removed, ...rest }) => rest);
  const last = kept.at(-1);
  if (last) last.footer = escapePlain(note);
  else kept.push({ fallback: escapePlain(note), footer: escapePlain(note) });
  return { message: post.message, props: { attachments: kept } };
}

function parseClick(body: unknown): ClickRequest | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const click = body as Partial<ClickRequest>;
  const context = click.context as Partial<ClickRequest['context']> | undefined;
  if (typeof click.user_id !== 'string' || !click.user_id) return undefined;
  if (typeof click.channel_id !== 'string' || typeof click.post_id !== 'string') return undefined;
  if (typeof context?.token !== 'string' || !context.token) return undefined;
  return click as ClickRequest;
}

function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 16);
}
