import { setImmediate as nextTurn } from 'node:timers/promises';

/** About how much text is processed per event-loop turn. */
const SLICE_BYTES = 32 * 1024;

/**
 * Applies `transform` to `text` slice by slice, yielding to the event loop between slices, so that
 * cleaning and redacting a megabyte of output never blocks other requests for long. Slices end at line
 * breaks, and never inside a PEM block, so multi-line secrets are still seen whole.
 */
export async function transformInSlices(text: string, transform: (slice: string) => string): Promise<string> {
  if (text.length <= SLICE_BYTES) return transform(text);
  const parts: string[] = [];
  let start = 0;
  while (start < text.length) {
    const end = sliceEnd(text, start);
    parts.push(transform(text.slice(start, end)));
    start = end;
    if (start < text.length) await nextTurn();
  }
  return parts.join('');
}

function sliceEnd(text: string, start: number): number {
  if (text.length - start <= SLICE_BYTES) return text.length;
  let end = text.indexOf('\n', start + SLICE_BYTES);
  if (end < 0) return text.length;
  end += 1;
  const slice = text.slice(start, end);
  const begin = slice.lastIndexOf('-----BEGIN ');
  if (begin >= 0 && slice.indexOf('-----END ', begin) < 0) {
    const close = text.indexOf('-----END ', end);
    if (close >= 0) {
      const lineEnd = text.indexOf('\n', close);
      return lineEnd < 0 ? text.length : lineEnd + 1;
    }
  }
  return end;
}
