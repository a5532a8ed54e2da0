import type { IdFactory } from './ids.js';

/** Copies blocks as Slack stores them: every block gets a `block_id` (generated when missing). */
export function storeBlocks(blocks: unknown, ids: IdFactory): Record<string, unknown>[] | undefined {
  if (!Array.isArray(blocks)) return undefined;
  return blocks.map((block: Record<string, unknown>) => ({
    ...block,
    block_id: typeof block.block_id === 'string' ? block.block_id : ids.secret().slice(0, 5),
  }));
}

/** A button found in stored blocks. */
export interface FoundButton {
  blockId: string;
  button: Record<string, unknown>;
}

/** Finds a button by its label (as displayed, entities decoded), `action_id` or `value`. */
export function findButton(
  blocks: Record<string, unknown>[] | undefined,
  label: string,
): FoundButton | undefined {
  for (const block of blocks ?? []) {
    if (block.type !== 'actions' || !Array.isArray(block.elements)) continue;
    for (const element of block.elements as Record<string, unknown>[]) {
      const text = (element.text as { text?: string } | undefined)?.text;
      const shown = text?.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
      if (shown === label || element.action_id === label || element.value === label) {
        return { blockId: String(block.block_id), button: element };
      }
    }
  }
  return undefined;
}

/** Labels of every button in stored blocks. */
export function buttonLabels(blocks: Record<string, unknown>[] | undefined): string[] {
  const labels: string[] = [];
  for (const block of blocks ?? []) {
    if (block.type !== 'actions' || !Array.isArray(block.elements)) continue;
    for (const element of block.elements as Record<string, unknown>[]) {
      labels.push(String((element.text as { text?: string } | undefined)?.text));
    }
  }
  return labels;
}
