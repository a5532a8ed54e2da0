import { cleanOutput } from './clean-output.js';
import type { CapturedOutput } from './output-capture.js';
import { transformInSlices } from './sliced-text.js';

/** `1.5 MB`, `512 bytes` */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1).replace(/\.0$/, '')} ${units[unit]}`;
}

/** The line that stands for the dropped middle of long output. */
export function droppedNote(output: CapturedOutput): string {
  const lines = output.droppedLines === 1 ? '1 line' : `${output.droppedLines.toLocaleString('en-US')} lines`;
  return `… ${formatBytes(output.droppedBytes)} (${lines}) of output dropped …`;
}

/**
 * The captured output as text to show: head, a note for what was dropped, tail; with `leaveOut` (the
 * card JSON) removed, then cleaned of terminal control sequences and passed through `redact`.
 */
export async function outputText(
  output: CapturedOutput,
  redact: (text: string) => string,
  leaveOut?: string,
): Promise<string> {
  const separator = output.head === '' || output.head.endsWith('\n') ? '' : '\n';
  let text =
    output.droppedBytes > 0
      ? `${output.head}${separator}${droppedNote(output)}\n${output.tail}`
      : output.head + output.tail;
  if (leaveOut) {
    const at = text.lastIndexOf(leaveOut);
    if (at >= 0) text = text.slice(0, at) + text.slice(at + leaveOut.length);
  }
  const cleaned = await transformInSlices(text, (slice) => redact(cleanOutput(slice)));
  return cleaned.replace(/\n+$/, '');
}
