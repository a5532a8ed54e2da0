import { randomBytes } from 'node:crypto';
import type { Store } from '@chatops/core';
import { escapePlain } from './render/escape.js';
import type { RestClient } from './rest-client.js';

/** Path of the bot's endpoint for dialog submissions. */
export const DIALOG_PATH = '/mattermost/dialogs';

const CALLBACK_ID = 'chatops.confirm';
/** Mattermost's limit on a dialog title. */
const TITLE_LIMIT = 24;

/** What a confirmation dialog asks. */
export interface ConfirmQuestion {
  title: string;
  text: string;
  ok: string;
}

/** The click a dialog confirms: the action request as Mattermost sent it. */
export interface PendingClick {
  user_id: string;
  user_name?: string;
  channel_id: string;
  channel_name?: string;
  post_id: string;
  context: { token: string; label?: unknown; channel?: unknown };
}

/**
 * Opens Mattermost's interactive dialog asking the clicker to confirm. The click (with its token)
 * stays in the bot's store for `ttlMs`; the dialog carries only a random id for it, because dialog
 * state goes to the clicker's browser while a button's context never leaves the server.
 */
export async function openConfirmDialog(
  rest: RestClient,
  store: Store,
  request: {
    triggerId: string;
    submitUrl: string;
    click: PendingClick;
    question: ConfirmQuestion;
    ttlMs: number;
  },
): Promise<void> {
  const id = randomBytes(16).toString('base64url');
  await store.set(keyOf(id), request.click, { ttlMs: request.ttlMs });
  const dialog = {
    callback_id: CALLBACK_ID,
    title: shorten(request.question.title, TITLE_LIMIT),
    introduction_text: escapePlain(request.question.text),
    elements: [],
    submit_label: shorten(request.question.ok, TITLE_LIMIT),
    notify_on_cancel: false,
    state: id,
  };
  // Client4 has no call for this endpoint; its public route and options build the request.
  const response = await fetch(
    `${rest.getBaseRoute()}/actions/dialogs/open`,
    rest.getOptions({
      method: 'post',
      body: JSON.stringify({ trigger_id: request.triggerId, url: request.submitUrl, dialog }),
    }) as RequestInit,
  );
  await response.body?.cancel();
  if (!response.ok) {
    await store.delete(keyOf(id));
    throw new Error(`the server refused to open the dialog (HTTP ${response.status})`);
  }
}

/**
 * The click a `dialog_submission` confirms, taken from the store (once): undefined when the
 * submission is malformed, not one of ours, expired, cancelled or sent by someone else.
 */
export async function takeConfirmedClick(store: Store, body: unknown): Promise<PendingClick | undefined> {
  if (typeof body !== 'object' || body === null) return undefined;
  const submission = body as {
    callback_id?: unknown;
    state?: unknown;
    user_id?: unknown;
    cancelled?: unknown;
  };
  if (submission.callback_id !== CALLBACK_ID || typeof submission.state !== 'string') return undefined;
  const key = keyOf(submission.state);
  const click = await store.get<PendingClick>(key);
  if (!click || click.user_id !== submission.user_id) return undefined;
  await store.delete(key);
  return submission.cancelled === true ? undefined : click;
}

function keyOf(id: string): string {
  return `mattermost:confirm:${id}`;
}

function shorten(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}
