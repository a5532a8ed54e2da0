import { type AdapterHost, type IncomingAction, withTimeout } from '@chatops/core';
import type { ChannelDirectory } from './channel-directory.js';
import {
  type ConfirmQuestion,
  openConfirmDialog,
  type PendingClick,
  takeConfirmedClick,
} from './confirm-dialog.js';
import type { Interactions } from './interactions.js';
import type { MattermostPost } from './mattermost-types.js';
import { asEphemeralText, type RenderedPost } from './render/card-renderer.js';
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
  /** Where Mattermost POSTs dialog submissions (undefined without a public URL). */
  dialogUrl(): string | undefined;
}

/** The `PostActionIntegrationRequest` fields used here. */
interface ClickRequest extends PendingClick {
  trigger_id?: string;
  context: PendingClick['context'] & { confirm?: unknown };
}

/**
 * `POST /mattermost/actions`: a button click. The signed token from the (confidential) context goes to
 * the robot, which verifies it and authorizes the clicker; the answer is an `update` of the clicked post
 * with the outcome, or an `ephemeral_text` for a refusal. A button that asks to confirm is first only
 * checked: someone who may not run it is refused at once, anyone else gets a dialog to confirm in, and
 * the click runs when the dialog is submitted ({@link handleDialogSubmission}).
 */
export async function handleActionClick(body: unknown, options: ActionClickOptions): Promise<HttpAnswer> {
  const click = parseClick(body);
  if (!click) return { status: 400, body: { ephemeral_text: 'Malformed action request.' } };
  const incoming = await clickIncoming(click, body, options);
  const question = questionOf(click.context);
  if (question) return askToConfirm(click, incoming, question, options);
  return runClick(click, incoming, options);
}

/**
 * `POST /mattermost/dialogs`: the submitted confirmation dialog. The click it confirms runs now, as a
 * click: the robot verifies the token and authorizes the clicker again. The clicked post is updated
 * over REST (a dialog's answer cannot update a post) and private replies go by the usual private path.
 */
export async function handleDialogSubmission(
  body: unknown,
  options: ActionClickOptions,
): Promise<HttpAnswer> {
  const click = await takeConfirmedClick(options.host.store, body);
  if (!click) return { status: 200, body: {} };
  const incoming = await clickIncoming(click, click, options);
  await withTimeout(options.host.receive(incoming), options.ackTimeoutMs);
  return { status: 200, body: {} };
}

async function askToConfirm(
  click: ClickRequest,
  incoming: IncomingAction,
  question: ConfirmQuestion,
  options: ActionClickOptions,
): Promise<HttpAnswer> {
  const checking: IncomingAction = { ...incoming, checkOnly: true };
  const interaction = options.interactions.begin(checking);
  const settled = await withTimeout(options.host.receive(checking), options.ackTimeoutMs);
  const checked = settled.done ? settled.value : undefined;
  options.interactions.end(interaction);
  if (checked?.status !== 'ok') {
    const privateText = interaction.privateReplies.map(asEphemeralText).filter(Boolean).join('\n\n');
    const reason = privateText || checked?.message || 'The bot is busy; try again.';
    return { status: 200, body: { ephemeral_text: truncateMessage(reason, options.limit) } };
  }
  const submitUrl = options.dialogUrl();
  try {
    if (!click.trigger_id || !submitUrl) throw new Error('no trigger id or no public URL for the dialog');
    await openConfirmDialog(options.rest, options.host.store, {
      triggerId: click.trigger_id,
      submitUrl,
      click: pendingClick(click),
      question,
      ttlMs: options.confirmWindowMs,
    });
  } catch (error) {
    options.host.log.warn(
      { err: (error as Error).message },
      'mattermost: cannot open the confirmation dialog',
    );
    return {
      status: 200,
      body: { ephemeral_text: 'The confirmation dialog could not be opened; try again.' },
    };
  }
  return { status: 200, body: {} };
}

async function runClick(click: ClickRequest, incoming: IncomingAction, options: ActionClickOptions) {
  const interaction = options.interactions.begin(incoming, click.post_id);
  const settled = await withTimeout(options.host.receive(incoming), options.ackTimeoutMs);
  options.interactions.end(interaction);
  if (!settled.done) return { status: 200, body: {} };
  const result = settled.value;
  const answer: Record<string, unknown> = {};
  // The robot updates the clicked post itself when the click has an outcome to show; a handler that
  // answered in another message leaves the card as it was.
  if (interaction.update) answer.update = toUpdate(interaction.update, options.limit);
  const privateText = interaction.privateReplies.map(asEphemeralText).filter(Boolean).join('\n\n');
  if (privateText) answer.ephemeral_text = truncateMessage(privateText, options.limit);
  else if (result.status !== 'ok' && result.status !== 'ignored' && result.message)
    answer.ephemeral_text = result.message;
  return { status: 200, body: answer };
}

/** The click as the robot sees it: who clicked where, on which post, with which token. */
async function clickIncoming(
  click: PendingClick,
  raw: unknown,
  options: ActionClickOptions,
): Promise<IncomingAction> {
  const post = (await options.rest.getPost(click.post_id).catch(() => undefined)) as
    | MattermostPost
    | undefined;
  const conversationId = typeof click.context.channel === 'string' ? click.context.channel : click.channel_id;
  // The name and team that channel rules look at come from the server, for the conversation the token is
  // bound to: the click payload's `channel_name` is whatever the caller of this URL wrote. Without them
  // (a failed lookup), `#name` rules do not match.
  const channel = await options.channels.get(conversationId).catch(() => undefined);
  const channelType = channel?.type ?? (click.channel_name?.includes('__') ? 'D' : 'O');
  const team =
    channel && channelType !== 'D'
      ? await options.channels.teamOf(channel).catch(() => undefined)
      : undefined;
  const threadId = post?.root_id || undefined;
  const isDirect = channelType === 'D';
  const userName = click.user_name || click.user_id;
  return {
    type: 'action',
    platform: 'mattermost',
    user: { id: click.user_id, name: userName },
    conversation: {
      id: conversationId,
      name: isDirect ? `@${userName}` : (channel?.name ?? ''),
      ...(team ? { team } : {}),
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
    raw,
  };
}

/** The confirmation a button asks for (`{title, text, ok}` from the card renderer), if any. */
function questionOf(context: ClickRequest['context']): ConfirmQuestion | undefined {
  const confirm = context.confirm;
  const label = typeof context.label === 'string' ? context.label : 'Confirm';
  if (typeof confirm === 'string') return { title: 'Are you sure?', text: confirm, ok: label };
  if (typeof confirm !== 'object' || confirm === null) return undefined;
  const { title, text, ok } = confirm as Record<string, unknown>;
  return {
    title: typeof title === 'string' && title ? title : 'Are you sure?',
    text: typeof text === 'string' ? text : `${label}?`,
    ok: typeof ok === 'string' && ok ? ok : label,
  };
}

function pendingClick(click: ClickRequest): PendingClick {
  const { token, label, channel } = click.context;
  return {
    user_id: click.user_id,
    ...(click.user_name ? { user_name: click.user_name } : {}),
    channel_id: click.channel_id,
    ...(click.channel_name ? { channel_name: click.channel_name } : {}),
    post_id: click.post_id,
    context: {
      token,
      ...(label === undefined ? {} : { label }),
      ...(channel === undefined ? {} : { channel }),
    },
  };
}

function toUpdate(rendered: RenderedPost, limit: number) {
  return {
    message: truncateMessage(rendered.message, limit),
    props: rendered.attachment ? { attachments: [rendered.attachment] } : {},
  };
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
