import { validateBlocks } from './block-validation.js';
import { storeBlocks } from './stored-blocks.js';
import type { EmulatedMessage, Workspace } from './workspace.js';

/** A response_url handed out with a slash command or a click. */
export interface ResponseUrl {
  url: string;
  kind: 'commands' | 'actions';
  channel: string;
  user: string;
  /** The message a click came from, or the last message posted through this URL. */
  original?: EmulatedMessage;
  uses: number;
  expiresAt: number;
}

/** What a response_url POST answered. */
export interface ResponseUrlResult {
  status: number;
  body: Record<string, unknown>;
}

const MAX_USES = 5;
const LIFETIME_MS = 30 * 60 * 1000;

/** Issues response URLs and applies what apps POST to them (new, ephemeral, replace, delete). */
export class ResponseUrls {
  private readonly urls = new Map<string, ResponseUrl>();

  constructor(
    private readonly workspace: Workspace,
    private readonly baseUrl: () => string,
    private readonly messagePosted: (message: EmulatedMessage) => void,
  ) {}

  /** A new URL for a command or click by `user` in `channel`. */
  issue(
    kind: 'commands' | 'actions',
    channel: string,
    user: string,
    original?: EmulatedMessage,
  ): ResponseUrl {
    const path = `/hooks/${kind}/${this.workspace.app.teamId}/${this.workspace.ids.next('')}/${this.workspace.ids.secret()}`;
    const entry: ResponseUrl = {
      url: `${this.baseUrl()}${path}`,
      kind,
      channel,
      user,
      uses: 0,
      expiresAt: Date.now() + LIFETIME_MS,
      ...(original ? { original } : {}),
    };
    this.urls.set(path, entry);
    return entry;
  }

  /** Looks a URL up by its path. */
  find(path: string): ResponseUrl | undefined {
    return this.urls.get(path);
  }

  /** Applies a POST body to the URL at `path`. */
  handle(path: string, body: Record<string, unknown>): ResponseUrlResult {
    const entry = this.urls.get(path);
    if (!entry) return { status: 404, body: { ok: false, error: 'no_such_url' } };
    if (entry.uses >= MAX_USES || entry.expiresAt < Date.now()) {
      return { status: 404, body: { ok: false, error: 'expired_url' } };
    }
    entry.uses += 1;
    if (body.delete_original === true || body.delete_original === 'true') {
      if (entry.original) entry.original.deleted = true;
      return { status: 200, body: { ok: true } };
    }
    if (body.blocks !== undefined) {
      const problem = validateBlocks(body.blocks);
      if (problem) return { status: 400, body: { ok: false, error: problem } };
    }
    const text = typeof body.text === 'string' ? body.text : '';
    if (!text && body.blocks === undefined) return { status: 400, body: { ok: false, error: 'no_text' } };
    const blocks = storeBlocks(body.blocks, this.workspace.ids);
    if ((body.replace_original === true || body.replace_original === 'true') && entry.original) {
      entry.original.text = text;
      if (blocks) entry.original.blocks = blocks;
      else delete entry.original.blocks;
      entry.original.edits += 1;
      return { status: 200, body: { ok: true } };
    }
    const inChannel = body.response_type === 'in_channel';
    const threadTs = typeof body.thread_ts === 'string' ? body.thread_ts : undefined;
    const message = this.workspace.post({
      channel: entry.channel,
      user: this.workspace.app.botUserId,
      botId: this.workspace.app.botId,
      text,
      ...(blocks ? { blocks } : {}),
      ...(threadTs ? { threadTs } : {}),
      ...(inChannel ? {} : { visibleTo: entry.user }),
    });
    if (entry.kind === 'commands') entry.original = message;
    if (inChannel) this.messagePosted(message);
    return { status: 200, body: { ok: true } };
  }
}
