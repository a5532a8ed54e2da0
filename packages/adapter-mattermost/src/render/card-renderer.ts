import type { CardStatus, CardTable, RenderedAction, RenderedCard } from '@chatops/core';
import type { Attachment, AttachmentAction } from '../mattermost-types.js';
import { codeBlock, escapeMarkdown, escapePlain } from './escape.js';
import { runeLength } from './split-message.js';

/** A file to upload with the post. */
export interface OutgoingFile {
  name: string;
  content: string;
}

/** A card as Mattermost content: Markdown message, an optional attachment, files. */
export interface RenderedPost {
  /** Markdown; may exceed the limit (the sender splits it). */
  message: string;
  attachment?: Attachment;
  files: OutgoingFile[];
}

/** What rendering needs to know. */
export interface RenderOptions {
  /** Where button clicks are POSTed; no buttons without it. */
  actionUrl?: string;
  /** Runes per post. */
  limit: number;
}

const STATUS_COLORS: Record<CardStatus, string> = {
  ok: '#3DB887',
  warn: '#FFBC1F',
  danger: '#D24B4E',
  info: '#1C58D9',
};

const BUTTON_STYLES: Record<RenderedAction['style'], string> = {
  primary: 'primary',
  danger: 'danger',
  default: 'default',
};

/**
 * Renders a card: the text, table and code as Markdown in the message; title, status colour, fields,
 * footer and buttons in one message attachment. Output too long for a post goes into a file.
 */
export function renderPost(card: RenderedCard, options: RenderOptions): RenderedPost {
  const files: OutgoingFile[] = [];
  if (card.file) files.push({ name: card.file.name, content: card.file.content });
  const rich = Boolean(
    card.title || card.status || card.fields?.length || card.actions.length || card.footer,
  );
  const text = card.text ? escapeMarkdown(card.text) : '';
  // Long text stays in the message, where it can be split; attachments have no such help.
  const textInMessage = !rich || runeLength(text) > options.limit / 2;
  const blocks = [
    textInMessage ? text : '',
    card.table ? renderTable(card.table) : '',
    card.code ? codeBlock(card.code) : '',
  ];
  let message = blocks.filter(Boolean).join('\n\n');
  if (runeLength(message) > options.limit && (card.code || card.table)) {
    const output = [card.table ? tableAsText(card.table) : '', card.code ?? ''].filter(Boolean).join('\n\n');
    const lines = output.split('\n').length;
    files.push({ name: 'output.txt', content: output });
    const note = `_Output attached: output.txt (${lines} lines)._`;
    message = [textInMessage ? text : '', note].filter(Boolean).join('\n\n');
  }
  if (!rich) return { message, files };
  const attachment: Attachment = { fallback: escapePlain(fallbackOf(card)) };
  if (card.status) attachment.color = STATUS_COLORS[card.status];
  if (card.title) attachment.title = escapeMarkdown(card.title);
  if (text && !textInMessage) attachment.text = text;
  if (card.fields?.length) {
    attachment.fields = card.fields.map((field) => ({
      title: escapePlain(field.label),
      value: escapeMarkdown(field.value) || ' ',
      short: field.short ?? false,
    }));
  }
  if (card.footer) attachment.footer = escapePlain(card.footer);
  const actions = options.actionUrl ? renderActions(card.actions, options.actionUrl) : [];
  if (actions.length) attachment.actions = actions;
  return { message, attachment, files };
}

/** What `ephemeral_text` (plain Markdown, no attachment) shows of a rendered post. */
export function asEphemeralText(post: RenderedPost): string {
  const attachment = post.attachment;
  const lines = [
    attachment?.title ? `**${attachment.title}**` : '',
    attachment?.text ?? '',
    ...(attachment?.fields ?? []).map((field) => `${field.title}: ${field.value}`),
    post.message,
  ];
  return lines.filter(Boolean).join('\n');
}

function renderActions(actions: RenderedAction[], url: string): AttachmentAction[] {
  return actions.map((action, index) => {
    const context: Record<string, unknown> = { token: action.token, label: action.label };
    if (action.confirm) {
      const { title, text, ok } = action.confirm;
      context.confirm = { title, text, ok: ok ?? action.label };
    }
    return {
      id: `action${index}`,
      type: 'button',
      name: escapePlain(action.label),
      style: BUTTON_STYLES[action.style],
      integration: { url, context },
    };
  });
}

function renderTable(table: CardTable): string {
  const cell = (value: string) => escapeMarkdown(value.replace(/\s*\n\s*/g, ' ')) || ' ';
  const header = `| ${table.columns.map(cell).join(' | ')} |`;
  const rule = `| ${table.columns.map(() => '---').join(' | ')} |`;
  const rows = table.rows.map((row) => `| ${table.columns.map((_, i) => cell(row[i] ?? '')).join(' | ')} |`);
  return [header, rule, ...rows].join('\n');
}

function tableAsText(table: CardTable): string {
  const widths = table.columns.map((column, i) =>
    Math.max(column.length, ...table.rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((value, i) => value.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    line(table.columns),
    ...table.rows.map((row) => line(table.columns.map((_, i) => row[i] ?? ''))),
  ].join('\n');
}

function fallbackOf(card: RenderedCard): string {
  return [card.title, card.text].filter(Boolean).join(': ') || card.footer || 'message';
}
