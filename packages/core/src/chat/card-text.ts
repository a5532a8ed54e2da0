import type { Card, RenderedCard } from './card.js';

const STATUS_MARK: Record<string, string> = { ok: '[OK]', warn: '[WARN]', danger: '[FAIL]', info: '[INFO]' };

/** Options for plain-text rendering. */
export interface TextRenderOptions {
  /** How a button is shown; default `[label]` (the shell adapter shows `[!N label]`). */
  actionLabel?: (action: { label: string }, index: number) => string;
}

/**
 * Lays a table out in aligned columns, for platforms without tables.
 *
 * @example
 * formatTable(['host', 'ms'], [['web-1', '12'], ['db-1', '3']]);
 * // host   ms
 * // -----  --
 * // web-1  12
 * // db-1   3
 */
export function formatTable(columns: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((column, index) =>
    Math.max(column.length, ...rows.map((row) => (row[index] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    widths
      .map((width, index) => (cells[index] ?? '').padEnd(width))
      .join('  ')
      .trimEnd();
  return [line(columns), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/**
 * Renders a card as plain text: title, text, fields, table, code, actions, footer. Adapters use it
 * for notification text and for platforms without rich messages.
 *
 * @example
 * renderCardText({ title: 'Ping', status: 'ok', fields: [{ label: 'host', value: 'web-1' }] });
 * // '[OK] Ping\nhost: web-1'
 */
export function renderCardText(card: Card | RenderedCard, options: TextRenderOptions = {}): string {
  const parts: string[] = [];
  const mark = card.status ? STATUS_MARK[card.status] : undefined;
  if (card.title) parts.push(mark ? `${mark} ${card.title}` : card.title);
  else if (mark && card.text) parts.push(`${mark} ${card.text}`);
  if (card.text && (card.title || !mark)) parts.push(card.text);
  if (card.fields?.length)
    parts.push(card.fields.map((field) => `${field.label}: ${field.value}`).join('\n'));
  if (card.table) parts.push(formatTable(card.table.columns, card.table.rows));
  if (card.code) parts.push(card.code);
  if (card.file) parts.push(`[file ${card.file.name}${card.file.title ? `: ${card.file.title}` : ''}]`);
  const actions = card.actions ?? [];
  if (actions.length > 0) {
    parts.push(
      actions.map((action, index) => options.actionLabel?.(action, index) ?? `[${action.label}]`).join(' '),
    );
  }
  if (card.footer) parts.push(card.footer);
  return parts.join('\n');
}
