/**
 * Checks blocks against the Block Kit limits Slack enforces (reference §7), returning the Web API
 * error Slack would answer with, or undefined when the blocks are acceptable.
 */
export function validateBlocks(
  blocks: unknown,
): 'invalid_blocks' | 'invalid_blocks_format' | 'msg_blocks_too_long' | undefined {
  if (!Array.isArray(blocks)) return 'invalid_blocks_format';
  if (blocks.length > 50) return 'invalid_blocks';
  let textTotal = 0;
  const blockIds = new Set<string>();
  for (const block of blocks) {
    if (!block || typeof block !== 'object') return 'invalid_blocks_format';
    const problem = checkBlock(block as Block);
    if (problem) return 'invalid_blocks';
    const id = (block as Block).block_id;
    if (typeof id === 'string') {
      if (id.length > 255 || blockIds.has(id)) return 'invalid_blocks';
      blockIds.add(id);
    }
    textTotal += blockText(block as Block);
  }
  // Undocumented cumulative limit observed around 12–13k characters.
  return textTotal > 12_000 ? 'msg_blocks_too_long' : undefined;
}

type TextObject = { type?: string; text?: unknown };
type Block = {
  type?: string;
  block_id?: unknown;
  text?: TextObject;
  fields?: TextObject[];
  elements?: Element[];
};
type Element = TextObject & {
  value?: unknown;
  action_id?: unknown;
  style?: unknown;
  confirm?: Record<string, TextObject | string>;
};

function textLength(object: TextObject | undefined): number {
  return typeof object?.text === 'string' ? object.text.length : 0;
}

function isTextObject(object: unknown): object is TextObject {
  if (!object || typeof object !== 'object') return false;
  const { type, text } = object as TextObject;
  return (type === 'plain_text' || type === 'mrkdwn') && typeof text === 'string' && text.length > 0;
}

function checkBlock(block: Block): boolean {
  switch (block.type) {
    case 'header':
      return !isTextObject(block.text) || block.text.type !== 'plain_text' || textLength(block.text) > 150;
    case 'section': {
      if (block.text === undefined && block.fields === undefined) return true;
      if (block.text !== undefined && (!isTextObject(block.text) || textLength(block.text) > 3000))
        return true;
      if (block.fields !== undefined) {
        if (!Array.isArray(block.fields) || block.fields.length > 10) return true;
        if (block.fields.some((field) => !isTextObject(field) || textLength(field) > 2000)) return true;
      }
      return false;
    }
    case 'context':
      return (
        !Array.isArray(block.elements) ||
        block.elements.length === 0 ||
        block.elements.length > 10 ||
        block.elements.some((element) => !isTextObject(element) || textLength(element) > 3000)
      );
    case 'actions':
      return (
        !Array.isArray(block.elements) ||
        block.elements.length === 0 ||
        block.elements.length > 25 ||
        block.elements.some(checkButton) ||
        new Set(block.elements.map((element) => element.action_id)).size !== block.elements.length
      );
    case 'divider':
      return false;
    case 'rich_text':
      return !Array.isArray(block.elements);
    default:
      return true;
  }
}

function checkButton(element: Element): boolean {
  if (element.type !== 'button') return true;
  const label = element.text;
  if (!isTextObject(label) || label.type !== 'plain_text' || textLength(label) > 75) return true;
  if (typeof element.action_id !== 'string' || element.action_id.length > 255) return true;
  if (element.value !== undefined && (typeof element.value !== 'string' || element.value.length > 2000))
    return true;
  if (element.style !== undefined && element.style !== 'primary' && element.style !== 'danger') return true;
  if (element.confirm !== undefined) {
    const { title, text, confirm, deny } = element.confirm as Record<string, TextObject>;
    if (!isTextObject(title) || textLength(title) > 100) return true;
    if (!isTextObject(text) || textLength(text) > 300) return true;
    if (!isTextObject(confirm) || textLength(confirm) > 30) return true;
    if (!isTextObject(deny) || textLength(deny) > 30) return true;
  }
  return false;
}

function blockText(block: Block): number {
  let total = textLength(block.text);
  for (const field of block.fields ?? []) total += textLength(field);
  for (const element of block.elements ?? []) {
    total +=
      typeof element.text === 'string'
        ? textLength(element)
        : textLength(element.text as TextObject | undefined);
  }
  return total;
}
