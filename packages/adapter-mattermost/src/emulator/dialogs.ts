import { AppError, invalidBodyParam, noPermission } from './app-error.js';
import { newTriggerId, postDialogSubmission } from './integrations.js';
import type { MattermostEmulator } from './mattermost-emulator.js';

/** A trigger id handed to an integration with a click or a slash command. */
interface Trigger {
  userId: string;
  channelId: string;
  issuedAt: number;
}

/** `model.Dialog` (the fields the emulator checks or keeps). */
export interface DialogSpec {
  callback_id?: string;
  title?: string;
  introduction_text?: string;
  elements?: unknown[];
  submit_label?: string;
  notify_on_cancel?: boolean;
  state?: string;
}

/** A dialog shown to a user (`open_dialog`), waiting to be submitted or cancelled. */
export interface OpenDialog {
  userId: string;
  channelId: string;
  url: string;
  dialog: DialogSpec;
}

/** `model.SubmitDialogResponse`. */
export interface DialogSubmitResponse {
  error?: string;
  errors?: Record<string, string>;
}

/**
 * Interactive dialogs: trigger ids (valid for `triggerTimeoutMs`, 3 s as on older servers), `POST
 * /actions/dialogs/open` with the `open_dialog` WebSocket event to the user the trigger belongs to, and
 * `POST /actions/dialogs/submit`, which the server forwards to the dialog's `url` as a
 * `dialog_submission` with the submitting session's user id.
 */
export class Dialogs {
  private readonly triggers = new Map<string, Trigger>();
  /** Dialogs opened so far, oldest first. */
  readonly opened: OpenDialog[] = [];

  constructor(
    private readonly emulator: MattermostEmulator,
    private readonly triggerTimeoutMs: number,
  ) {}

  /** A new trigger id for a click or command by `userId` in `channelId`. */
  issueTrigger(userId: string, channelId: string): string {
    const id = newTriggerId();
    this.triggers.set(id, { userId, channelId, issuedAt: Date.now() });
    return id;
  }

  /** `POST /actions/dialogs/open`. */
  open(body: { trigger_id?: unknown; url?: unknown; dialog?: unknown }): void {
    if (typeof body.trigger_id !== 'string' || !body.trigger_id) throw invalidBodyParam('trigger_id');
    if (typeof body.url !== 'string' || !/^https?:\/\//.test(body.url)) throw invalidBodyParam('url');
    const dialog = body.dialog as DialogSpec | undefined;
    if (typeof dialog !== 'object' || dialog === null) throw invalidBodyParam('dialog');
    if (!dialog.title || dialog.title.length > 24) {
      throw new AppError(400, 'model.dialog.title.app_error', 'Title must be 1 to 24 characters.');
    }
    const trigger = this.triggers.get(body.trigger_id);
    if (!trigger) {
      throw new AppError(
        400,
        'interactive_message.decode_trigger_id.signature_decode_failed',
        'Invalid trigger ID for interactive dialog.',
      );
    }
    if (Date.now() - trigger.issuedAt > this.triggerTimeoutMs) {
      throw new AppError(
        400,
        'interactive_message.decode_trigger_id.expired',
        `Trigger ID for interactive dialog is expired. Trigger IDs live for a maximum of ${this.triggerTimeoutMs}ms.`,
      );
    }
    this.opened.push({ userId: trigger.userId, channelId: trigger.channelId, url: body.url, dialog });
    this.emulator.socket.publish(
      'open_dialog',
      { dialog: JSON.stringify({ trigger_id: body.trigger_id, url: body.url, dialog }) },
      { user_id: trigger.userId },
    );
  }

  /** `POST /actions/dialogs/submit` by `userId`: forwarded to the dialog's `url`. */
  async submit(userId: string, body: Record<string, unknown>): Promise<DialogSubmitResponse> {
    if (typeof body.url !== 'string' || !body.url) throw invalidBodyParam('url');
    const channelId = typeof body.channel_id === 'string' ? body.channel_id : '';
    const channel = this.emulator.state.channel(channelId);
    if (!channel.members.has(userId) && channel.type !== 'O') throw noPermission();
    return postDialogSubmission(
      body.url,
      {
        type: 'dialog_submission',
        callback_id: body.callback_id ?? '',
        state: body.state ?? '',
        user_id: userId,
        channel_id: channel.id,
        team_id: channel.team_id,
        submission: body.submission ?? {},
        cancelled: body.cancelled === true,
      },
      this.emulator.integrationTimeoutMs,
      this.emulator.integrationCalls,
    );
  }

  /** The last dialog opened for `userId`. */
  lastFor(userId: string): OpenDialog | undefined {
    return this.opened.filter((dialog) => dialog.userId === userId).at(-1);
  }
}
