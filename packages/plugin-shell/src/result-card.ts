import { type Card, formatDuration } from '@chatops/core';
import { formatBytes } from './output-text.js';
import { type CardSearch, scriptCardContent } from './script-card.js';
import type { TerminationSummary } from './termination-summary.js';

/** Lines of output shown in the message when the whole output goes out as a file. */
const PREVIEW_LINES = 20;
const INLINE_MAX_LINES = 40;

/** Everything the result message is made of. */
export interface RunReport {
  script: string;
  /** What was run, as the user would type it: `disk-usage web-1`. */
  invocation: string;
  requester: string;
  summary: TerminationSummary;
  durationMs: number;
  /** Cleaned and redacted output, without the card JSON. */
  output: string;
  lines: number;
  totalBytes: number;
  droppedBytes: number;
  /** A card found in stdout, already sanitized. */
  card: CardSearch;
  /** Output longer than this many characters goes out as a file. */
  inlineLimit: number;
}

/** The message that replaces the progress message (or answers) when a run is over. */
export function resultCard(report: RunReport): Card {
  const { summary } = report;
  const card: Card = report.card.kind === 'card' ? scriptCardContent(report.card.card) : {};
  if (!summary.succeeded || card.title === undefined) card.title = summary.title;
  if (!summary.succeeded || card.status === undefined) card.status = summary.status;
  if (report.card.kind === 'invalid') {
    card.text = `The script printed card JSON that was not used (${report.card.error}).`;
  }
  // With a card, the output size only matters when there was output besides the card.
  const extraOutput = report.output.trim() === '' ? '' : ` · ${outputSize(report)}`;
  const facts = `exit ${summary.exit} · ${formatDuration(report.durationMs)}${extraOutput}`;
  if (report.card.kind !== 'card') {
    card.fields = [
      { label: 'Command', value: report.invocation, short: true },
      { label: 'Exit', value: summary.exit, short: true },
      { label: 'Duration', value: formatDuration(report.durationMs), short: true },
      { label: 'Output', value: outputSize(report), short: true },
    ];
  }
  const parts = outputParts(report);
  Object.assign(card, parts);
  if (parts.file) {
    const note = `Showing the last ${PREVIEW_LINES} lines; the whole output is attached.`;
    card.text = card.text ? `${card.text}\n${note}` : note;
  }
  card.footer =
    report.card.kind === 'card'
      ? `${report.invocation} · ${facts} · requested by ${report.requester}`
      : `Requested by ${report.requester}`;
  return card;
}

function outputSize(report: RunReport): string {
  if (report.totalBytes === 0) return 'none';
  const lines = report.lines === 1 ? '1 line' : `${report.lines.toLocaleString('en-US')} lines`;
  const dropped = report.droppedBytes > 0 ? `, ${formatBytes(report.droppedBytes)} dropped` : '';
  return `${lines}${dropped}`;
}

function outputParts(report: RunReport): Pick<Card, 'code' | 'file'> {
  const text = report.output;
  if (text.trim() === '') return {};
  const lines = text.split('\n');
  if (text.length <= report.inlineLimit && lines.length <= INLINE_MAX_LINES) return { code: text };
  const preview = lines.slice(-PREVIEW_LINES).join('\n');
  return {
    code: preview.length > report.inlineLimit ? preview.slice(-report.inlineLimit) : preview,
    file: { name: `${report.script}-output.txt`, content: text, title: `Output of ${report.invocation}` },
  };
}
