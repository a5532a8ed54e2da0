/** Colour/severity of a card. */
export type CardStatus = 'ok' | 'warn' | 'danger' | 'info';

/** A label/value pair shown on a card. Values are plain text; adapters escape them. */
export interface CardField {
  label: string;
  value: string;
  /** Render side by side with other short fields where the platform can. */
  short?: boolean;
}

/** A table of plain-text cells. */
export interface CardTable {
  columns: string[];
  rows: string[][];
}

/** A confirmation dialog shown before an action runs. */
export interface ActionConfirm {
  title: string;
  text: string;
  ok?: string;
  dismiss?: string;
}

/** A button on a card: clicking it runs the registered action `action` with `args`. */
export interface CardAction {
  label: string;
  /** Id of an action registered with `bot.action(id, …)`. */
  action: string;
  args?: Record<string, unknown>;
  /** Defaults to `danger` for `write` actions, `default` otherwise. */
  style?: 'primary' | 'danger' | 'default';
  /** A confirm dialog; `true` asks a generic question. `write` actions confirm by default. */
  confirm?: ActionConfirm | string | boolean;
}

/** A file attached to a message (long output, reports). */
export interface CardFile {
  name: string;
  content: string;
  /** A short title shown with the file. */
  title?: string;
}

/**
 * The platform-neutral message: every reply is a Card (a plain string becomes `{ text }`).
 * All strings are plain text; adapters own escaping, markup and platform limits.
 *
 * @example
 * const card: Card = {
 *   title: 'uat is down',
 *   status: 'danger',
 *   fields: [{ label: 'since', value: formatDuration(downFor) }],
 *   table: { columns: ['host', 'error'], rows: [['web-1', 'timeout']] },
 *   actions: [{ label: 'Restart', action: 'ping.restart', args: { target: 'uat' }, style: 'danger' }],
 * };
 */
export interface Card {
  /** Body text, also the fallback for notifications. */
  text?: string;
  title?: string;
  status?: CardStatus;
  fields?: CardField[];
  table?: CardTable;
  /** Preformatted output (script output, JSON). */
  code?: string;
  actions?: CardAction[];
  /** Small print under the card. */
  footer?: string;
  file?: CardFile;
}

/** What handlers may return or pass to `ctx.reply`. */
export type Reply = string | Card;

/** An action after the robot signed it: what adapters put on a button. */
export interface RenderedAction {
  label: string;
  /** The registered action id (informational; the token is what counts). */
  action: string;
  style: 'primary' | 'danger' | 'default';
  confirm?: ActionConfirm;
  effect: Effect;
  /** Opaque signed token; the adapter hands it back with the click. */
  token: string;
}

/** A card ready for an adapter: actions carry signed tokens. */
export interface RenderedCard extends Omit<Card, 'actions'> {
  actions: RenderedAction[];
}

/** Whether running something only reads or also changes the world. */
export type Effect = 'read' | 'write';

/** Turns a reply into a card. */
export function toCard(reply: Reply): Card {
  return typeof reply === 'string' ? { text: reply } : reply;
}

/** True when a card shows something: text, a title, fields, a table, code, buttons or a file. */
export function hasContent(card: Omit<Card, 'actions'> & { actions?: readonly unknown[] }): boolean {
  return Boolean(
    card.text?.trim() ||
      card.title?.trim() ||
      card.fields?.length ||
      card.table?.columns.length ||
      card.code?.trim() ||
      card.actions?.length ||
      card.file,
  );
}

/**
 * What a handler returned, as a card to show; undefined when there is nothing to show: nothing, an
 * empty string or card, or anything that is not a reply (such as the message reference `ctx.reply`
 * returns, for handlers written `run: (ctx) => ctx.reply(…)`).
 */
export function resultCard(result: unknown): Card | undefined {
  if (typeof result === 'string') return result.trim() ? { text: result } : undefined;
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return undefined;
  const card = result as Card;
  return hasContent(card) ? card : undefined;
}
