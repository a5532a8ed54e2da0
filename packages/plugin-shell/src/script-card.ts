import type { Card, CardAction } from '@chatops/core';
import { z } from 'zod';

/** The action that runs a script card's button: its `command` goes through the router as the clicker. */
export const COMMAND_ACTION = 'shell.command';

// biome-ignore lint/suspicious/noControlCharactersInRegex: a command line is one line
const ONE_LINE = /^[^\u0000-\u001f\u007f]*$/;
const cell = z
  .union([z.string(), z.number(), z.boolean(), z.null()])
  .transform((value) => String(value ?? ''));

const scriptActionSchema = z.strictObject({
  label: z.string().min(1).max(75),
  /** A command line, e.g. `run restart-demo web-1`, run as whoever clicks. */
  command: z.string().min(1).max(500).regex(ONE_LINE, 'must be one line'),
  style: z.enum(['primary', 'danger', 'default']).optional(),
  /** `true` for a generic confirmation, or the question to ask. */
  confirm: z.union([z.boolean(), z.string().max(300)]).optional(),
});

const scriptCardSchema = z.strictObject({
  title: z.string().max(200).optional(),
  status: z.enum(['ok', 'warn', 'danger', 'info']).optional(),
  text: z.string().max(4000).optional(),
  fields: z
    .array(z.strictObject({ label: z.string().max(100), value: cell, short: z.boolean().optional() }))
    .max(25)
    .optional(),
  table: z
    .strictObject({
      columns: z.array(z.string().max(100)).min(1).max(20),
      rows: z.array(z.array(cell)).max(500),
    })
    .optional(),
  actions: z.array(scriptActionSchema).max(10).optional(),
});

/** The card a script may print, as `{"chatops": {…}}`: the whole stdout or its last line. */
export type ScriptCard = z.output<typeof scriptCardSchema>;

type ScriptAction = z.output<typeof scriptActionSchema>;

/** What was found in a script's stdout. */
export type CardSearch =
  | { kind: 'none' }
  | {
      kind: 'card';
      card: ScriptCard /** The JSON text as printed, to leave out of the output shown. */;
      source: string;
    }
  | { kind: 'invalid'; error: string; source: string };

/**
 * Looks for a card in stdout: the whole of it (trimmed) or its last non-empty line must be a JSON
 * object with a `chatops` key. `complete` is false when the start of stdout was dropped.
 */
export function findScriptCard(stdout: string, complete: boolean): CardSearch {
  const whole = stdout.trim();
  if (complete && whole.startsWith('{') && whole.includes('\n')) {
    const found = parseCard(whole);
    if (found.kind !== 'none') return found;
  }
  const lines = whole.split('\n');
  const last = lines[lines.length - 1]?.trim() ?? '';
  return last.startsWith('{') ? parseCard(last) : { kind: 'none' };
}

function parseCard(source: string): CardSearch {
  let json: unknown;
  try {
    json = JSON.parse(source);
  } catch {
    return { kind: 'none' };
  }
  if (typeof json !== 'object' || json === null || !('chatops' in json)) return { kind: 'none' };
  const parsed = scriptCardSchema.safeParse(json.chatops);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `chatops.${issue.path.join('.')}` : 'chatops';
    return { kind: 'invalid', error: `${where}: ${issue?.message ?? 'invalid'}`, source };
  }
  return { kind: 'card', card: parsed.data, source };
}

/** The card's content as a robot Card; its buttons run their command lines through `shell.command`. */
export function scriptCardContent(card: ScriptCard): Card {
  const content: Card = {};
  if (card.title !== undefined) content.title = card.title;
  if (card.status !== undefined) content.status = card.status;
  if (card.text !== undefined) content.text = card.text;
  if (card.fields) content.fields = card.fields;
  if (card.table) {
    const width = card.table.columns.length;
    content.table = {
      columns: card.table.columns,
      rows: card.table.rows.map((row) => Array.from({ length: width }, (_, index) => row[index] ?? '')),
    };
  }
  if (card.actions) content.actions = card.actions.map(toCardAction);
  return content;
}

function toCardAction(action: ScriptAction): CardAction {
  const result: CardAction = {
    label: action.label,
    action: COMMAND_ACTION,
    args: { command: action.command },
  };
  if (action.style !== undefined) result.style = action.style;
  if (action.confirm !== undefined) result.confirm = action.confirm;
  return result;
}
