import { stripVTControlCharacters } from 'node:util';
import type { RenderedCard } from '../chat/card.js';
import { renderCardText } from '../chat/card-text.js';

const COLORS: Record<string, string> = {
  ok: '\x1b[32m',
  warn: '\x1b[33m',
  danger: '\x1b[31m',
  info: '\x1b[36m',
};
const RESET = '\x1b[0m';

/** Plain text of a card for a terminal: control sequences in any text are removed, status coloured. */
export function renderForTerminal(card: RenderedCard, numbers: readonly number[], color: boolean): string {
  let text = renderCardText(sanitizeCard(card), {
    actionLabel: (action, index) => `[!${numbers[index]} ${action.label}]`,
  });
  if (color && card.status) {
    const [first, ...rest] = text.split('\n');
    text = [`${COLORS[card.status] ?? ''}${first}${RESET}`, ...rest].join('\n');
  }
  return text;
}

/** Text without control sequences or control characters (newlines and tabs stay). */
export function clean(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  return stripVTControlCharacters(text).replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '');
}

function sanitizeCard(card: RenderedCard): RenderedCard {
  return {
    ...card,
    ...(card.title !== undefined ? { title: clean(card.title) } : {}),
    ...(card.text !== undefined ? { text: clean(card.text) } : {}),
    ...(card.code !== undefined ? { code: clean(card.code) } : {}),
    ...(card.footer !== undefined ? { footer: clean(card.footer) } : {}),
    ...(card.fields
      ? {
          fields: card.fields.map((field) => ({
            ...field,
            label: clean(field.label),
            value: clean(field.value),
          })),
        }
      : {}),
    ...(card.table
      ? {
          table: {
            columns: card.table.columns.map(clean),
            rows: card.table.rows.map((row) => row.map(clean)),
          },
        }
      : {}),
    actions: card.actions.map((action) => ({ ...action, label: clean(action.label) })),
  };
}
