import {
  type CardFile,
  formatTable,
  type RenderedAction,
  type RenderedCard,
  renderCardText,
} from '@chatops/core';
import type { ButtonElement, SlackBlock, TextObject } from './block-kit-types.js';
import { cutToEscapedLength, LIMITS, previewLines, splitText } from './message-limits.js';
import { CODE_FENCE_OVERHEAD, codeBlock, escapedLength, escapeText } from './mrkdwn.js';

/** A card as Slack message arguments: fallback `text`, `blocks`, and files to upload with it. */
export interface SlackMessage {
  /** Notification fallback (escaped). */
  text: string;
  blocks: SlackBlock[];
  /** Files to upload next to the message: the card's own file and, when output was cut, the full text. */
  files: CardFile[];
}

/** Status shown as a coloured emoji, since Block Kit has no colour bar. */
export const STATUS_EMOJI = {
  ok: ':large_green_circle:',
  warn: ':large_yellow_circle:',
  danger: ':red_circle:',
  info: ':large_blue_circle:',
} as const;

/** Room kept for the parts after the current one when sharing the text budget. */
const RESERVE_PER_PART = 400;
/** Buttons shown on one card (four actions blocks); more would not leave room for the content. */
const MAX_BUTTONS = 100;
/** Text shown from a preformatted part that is too long for the message. */
const PREVIEW_CHARS = 1500;

const mrkdwn = (text: string): TextObject => ({ type: 'mrkdwn', text, verbatim: true });
const plain = (text: string): TextObject => ({ type: 'plain_text', text, emoji: true });

/** Escapes `text` and cuts it (with `…`) so the escaped form fits `limit`. */
export function fitText(text: string, limit: number): string {
  if (escapedLength(text) <= limit) return escapeText(text);
  return escapeText(cutToEscapedLength(text, limit - 2, escapedLength)) + '…';
}

function blockTextLength(block: SlackBlock): number {
  switch (block.type) {
    case 'header':
      return block.text.text.length;
    case 'section':
      return (
        (block.text?.text.length ?? 0) +
        (block.fields ?? []).reduce((sum, field) => sum + field.text.length, 0)
      );
    case 'context':
      return block.elements.reduce((sum, element) => sum + element.text.length, 0);
    case 'actions':
      return block.elements.reduce((sum, element) => sum + element.text.text.length, 0);
  }
}

/** Blocks and characters still free in the message body, and whether something had to be cut. */
class BodyBudget {
  readonly blocks: SlackBlock[] = [];
  blocksLeft: number;
  textLeft: number;
  cut = false;

  constructor(fixed: SlackBlock[]) {
    // One block stays free for the "shortened" note.
    this.blocksLeft = LIMITS.blocks - fixed.length - 1;
    this.textLeft = LIMITS.messageText - fixed.reduce((sum, block) => sum + blockTextLength(block), 0);
  }

  add(block: SlackBlock): void {
    this.blocks.push(block);
    this.blocksLeft -= 1;
    this.textLeft -= blockTextLength(block);
  }

  /** Characters a part may use while leaving some room for the `later` parts after it. */
  room(later: number): number {
    return this.textLeft - RESERVE_PER_PART * later;
  }
}

/** Renders a card as Block Kit within Slack's limits; all card text is escaped. */
export function renderMessage(card: RenderedCard): SlackMessage {
  const emoji = card.status ? STATUS_EMOJI[card.status] : undefined;
  const head: SlackBlock[] = [];
  if (card.title) {
    // The emoji code (at most 22 characters) shares the header's 150.
    const title = fitText(card.title, LIMITS.headerText - 24);
    head.push({ type: 'header', text: plain(emoji ? `${emoji} ${title}` : title) });
  }
  const tail = actionBlocks(card.actions);
  if (card.footer)
    tail.push({ type: 'context', elements: [mrkdwn(fitText(card.footer, LIMITS.contextText))] });

  const body = new BodyBudget([...head, ...tail]);
  const table = card.table ? formatTable(card.table.columns, card.table.rows) : undefined;
  const parts = [card.text, card.fields?.length ? card.fields : undefined, table, card.code];
  const later = (index: number) => parts.slice(index + 1).filter((part) => part !== undefined).length;
  if (card.text) addText(body, card.text, emoji && !card.title ? `${emoji} ` : '', later(0));
  if (card.fields?.length) addFields(body, card.fields, later(1));
  if (table !== undefined) addPreformatted(body, table, later(2));
  if (card.code !== undefined) addPreformatted(body, card.code, later(3));

  const files: CardFile[] = card.file ? [card.file] : [];
  if (body.cut) {
    const file = fullTextFile(card);
    files.push(file);
    body.blocks.push({
      type: 'context',
      elements: [
        mrkdwn(
          `:page_facing_up: Shortened to fit Slack: the full output is in the attached file \`${escapeText(file.name)}\`.`,
        ),
      ],
    });
  }
  return { text: fallbackText(card, emoji), blocks: [...head, ...body.blocks, ...tail], files };
}

/** Text as sections of at most 3,000 characters, or a preview when the message cannot hold it. */
function addText(body: BodyBudget, text: string, prefix: string, later: number): void {
  const room = body.room(later) - prefix.length;
  const chunks = splitText(text, LIMITS.sectionText - prefix.length, escapedLength);
  if (escapedLength(text) <= room && chunks.length <= body.blocksLeft - later) {
    chunks.forEach((chunk, index) => {
      body.add({ type: 'section', text: mrkdwn((index === 0 ? prefix : '') + escapeText(chunk)) });
    });
    return;
  }
  const { preview, omitted } = previewLines(text, Math.min(room, LIMITS.sectionText) - 200, escapedLength);
  body.add({ type: 'section', text: mrkdwn(prefix + escapeText(preview) + omittedNote(omitted)) });
  body.cut = true;
}

/** Field sections, as many as fit. */
function addFields(body: BodyBudget, fields: NonNullable<RenderedCard['fields']>, later: number): void {
  for (const block of fieldSections(fields)) {
    if (body.blocksLeft - later <= 0 || blockTextLength(block) > body.room(later)) {
      body.cut = true;
      return;
    }
    body.add(block);
  }
}

/** A table or code as a monospaced block, or its first lines when it is too long. */
function addPreformatted(body: BodyBudget, content: string, later: number): void {
  if (body.blocksLeft <= 0) {
    body.cut = true;
    return;
  }
  const room = Math.min(LIMITS.sectionText, body.room(later));
  if (escapedLength(content) + CODE_FENCE_OVERHEAD + 10 <= room) {
    body.add({ type: 'section', text: mrkdwn(codeBlock(content)) });
    return;
  }
  const { preview, omitted } = previewLines(content, Math.min(PREVIEW_CHARS, room - 200), escapedLength);
  body.add({ type: 'section', text: mrkdwn(codeBlock(preview) + omittedNote(omitted)) });
  body.cut = true;
}

function omittedNote(omitted: number): string {
  return omitted > 0
    ? `\n_… ${omitted} more line${omitted === 1 ? '' : 's'} in the attached file_`
    : '\n_… continued in the attached file_';
}

function fieldSections(fields: NonNullable<RenderedCard['fields']>): SlackBlock[] {
  const blocks: SlackBlock[] = [];
  let group: TextObject[] = [];
  const flush = () => {
    if (group.length > 0) blocks.push({ type: 'section', fields: group });
    group = [];
  };
  for (const field of fields) {
    const label = `*${fitText(field.label, 200)}*\n`;
    if (field.short) {
      group.push(mrkdwn(label + fitText(field.value, LIMITS.fieldText - label.length)));
      if (group.length === LIMITS.sectionFields) flush();
    } else {
      flush();
      blocks.push({
        type: 'section',
        text: mrkdwn(label + fitText(field.value, LIMITS.sectionText - label.length)),
      });
    }
  }
  flush();
  return blocks;
}

function actionBlocks(actions: RenderedAction[]): SlackBlock[] {
  const buttons = actions.slice(0, MAX_BUTTONS).map(button);
  const blocks: SlackBlock[] = [];
  for (let start = 0; start < buttons.length; start += LIMITS.actionsPerBlock) {
    blocks.push({ type: 'actions', elements: buttons.slice(start, start + LIMITS.actionsPerBlock) });
  }
  return blocks;
}

function button(action: RenderedAction, index: number): ButtonElement {
  if (action.token.length > LIMITS.buttonValue) {
    throw new Error(
      `action "${action.action}": its token is longer than Slack's ${LIMITS.buttonValue}-character button value; pass smaller args`,
    );
  }
  const element: ButtonElement = {
    type: 'button',
    action_id: `chatops.${index}.${action.action}`.slice(0, 255),
    text: plain(fitText(action.label, LIMITS.buttonText)),
    value: action.token,
  };
  if (action.style !== 'default') element.style = action.style;
  if (action.confirm) {
    element.confirm = {
      title: plain(fitText(action.confirm.title, LIMITS.confirmTitle)),
      text: plain(fitText(action.confirm.text, LIMITS.confirmText)),
      confirm: plain(fitText(action.confirm.ok ?? 'Yes', LIMITS.confirmButton)),
      deny: plain(fitText(action.confirm.dismiss ?? 'Cancel', LIMITS.confirmButton)),
      ...(action.style === 'danger' || action.effect === 'write' ? { style: 'danger' as const } : {}),
    };
  }
  return element;
}

function fallbackText(card: RenderedCard, emoji: string | undefined): string {
  const summary =
    [card.title, card.text].filter(Boolean).join(': ') || card.code || card.footer || card.file?.title || '';
  const text = fitText(
    summary || (card.table ? `Table: ${card.table.columns.join(', ')}` : ' '),
    LIMITS.fallbackText,
  );
  return emoji ? `${emoji} ${text}` : text;
}

function fullTextFile(card: RenderedCard): CardFile {
  const base =
    (card.title ?? 'output')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'output';
  return {
    name: `${base}.txt`,
    title: card.title ?? 'Full output',
    content: renderCardText({ ...card, actions: [], file: undefined }),
  };
}
