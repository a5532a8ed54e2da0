import type { Card, RenderedCard } from '../chat/card.js';

/**
 * The clicked card with the outcome of the click added: its title, text, fields, table and code stay;
 * the outcome's text follows the card's text, its fields follow the card's fields, its status wins,
 * and the footer says who clicked. The clicked button goes away when it ran a write (it is used up);
 * the other buttons stay as they were (same tokens).
 */
export function withClickOutcome(
  clicked: RenderedCard,
  outcome: Card,
  click: { token: string; spent: boolean; footer: string },
): RenderedCard {
  const { actions: _outcomeActions, ...added } = outcome;
  const text = [clicked.text, added.text].filter((part) => part !== undefined && part !== '').join('\n\n');
  const fields = [...(clicked.fields ?? []), ...(added.fields ?? [])];
  return {
    ...clicked,
    ...(text ? { text } : {}),
    ...(fields.length > 0 ? { fields } : {}),
    ...(added.code !== undefined ? { code: added.code } : {}),
    ...(added.table !== undefined ? { table: added.table } : {}),
    ...(added.file !== undefined ? { file: added.file } : {}),
    ...(added.status !== undefined ? { status: added.status } : {}),
    footer: added.footer ?? click.footer,
    actions: clicked.actions.filter((action) => !(click.spent && action.token === click.token)),
  };
}
