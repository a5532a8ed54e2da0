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

/** Renders a card as Block Kit within Slack's limits; all card text is escaped. */
export function renderMessage(card: RenderedCard): SlackMessage {
  const emoji = card.status ? STATUS_EMOJI[card.status] : undefined;
  const head: SlackBlock[] = [];
  if (card.title) {
    // The emoji code (at most 22 characters) shares the header's 150.
    const title = fitText(card.title, LIMITS.headerText - 24);
    head.push({ type: 'header', text: plain(emoji ? `${emoji} ${title}` : title) });
  }
  const tail: SlackBlock[] = [...actionBlocks(card.actions)];
  if (card.footer)
    tail.push({ type: 'context', elements: [mrkdwn(fitText(card.footer, LIMITS.contextText))] });

  const budget = {
    blocks: LIMITS.blocks - head.length - tail.length - 1,
    text: LIMITS.messageText - [...head, ...tail].reduce((sum, block) => sum + blockTextLength(block), 0),
  };
  const body: SlackBlock[] = [];
  const add = (block: SlackBlock) => {
    body.push(block);
    budget.blocks -= 1;
    budget.text -= blockTextLength(block);
  };
  let cut = false;
  const partsAfter = (index: number) =>
    [card.text, card.fields?.length, card.table, card.code].slice(index + 1).filter(Boolean).length;

  if (card.text) {
    const prefix = emoji && !card.title ? `${emoji} ` : '';
    const room = budget.text - RESERVE_PER_PART * partsAfter(0) - prefix.length;
    const chunks = splitText(card.text, LIMITS.sectionText - prefix.length, escapedLength);
    if (escapedLength(card.text) <= room && chunks.length <= budget.blocks - partsAfter(0)) {
      chunks.forEach((chunk, index) => {
        add({ type: 'section', text: mrkdwn((index === 0 ? prefix : '') + escapeText(chunk)) });
      });
    } else {
      const { preview, omitted } = previewLines(
        card.text,
        Math.min(room, LIMITS.sectionText) - 200,
        escapedLength,
      );
      add({ type: 'section', text: mrkdwn(prefix + escapeText(preview) + omittedNote(omitted)) });
      cut = true;
    }
  }

  if (card.fields?.length) {
    const fieldBlocks = fieldSections(card.fields);
    const fits = fieldBlocks.length <= budget.blocks - partsAfter(1);
    for (const block of fits
      ? fieldBlocks
      : fieldBlocks.slice(0, Math.max(0, budget.blocks - partsAfter(1)))) {
      if (blockTextLength(block) > budget.text - RESERVE_PER_PART * partsAfter(1)) {
        cut = true;
        break;
      }
      add(block);
    }
    if (!fits) cut = true;
  }

  for (const [index, content] of [
    [2, card.table ? formatTable(card.table.columns, card.table.rows) : undefined],
    [3, card.code],
  ] as const) {
    if (content === undefined || budget.blocks <= 0) continue;
    const room = Math.min(LIMITS.sectionText, budget.text - RESERVE_PER_PART * partsAfter(index));
    if (escapedLength(content) + CODE_FENCE_OVERHEAD + 10 <= room) {
      add({ type: 'section', text: mrkdwn(codeBlock(content)) });
      continue;
    }
    const { preview, omitted } = previewLines(content, Math.min(PREVIEW_CHARS, room - 200), escapedLength);
    add({ type: 'section', text: mrkdwn(codeBlock(preview) + omittedNote(omitted)) });
    cut = true;
  }

  const files: CardFile[] = card.file ? [card.file] : [];
  if (cut) {
    const file = fullTextFile(card);
    files.push(file);
    body.push({
      type: 'context',
      elements: [
        mrkdwn(
          `:page_facing_up: Shortened to fit Slack: the full output is in the attached file \`${escapeText(file.name)}\`.`,
        ),
      ],
    });
  }
  return { text: fallbackText(card, emoji), blocks: [...head, ...body, ...tail], files };
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
  const buttons = actions.map(button);
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
