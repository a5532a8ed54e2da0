import { formatNumber, formatSummary, renderTable } from './table.mjs';

/**
 * The figures the READMEs quote, rendered from a run's summary (`bench/results/summary.json`), so no
 * figure in them is typed by hand. Each README holds them between a begin and an end marker.
 */

/** The results table and the bars table, as `pnpm bench` prints them. */
export function renderResults({ rows, bars }) {
  const results = renderTable(
    ['Benchmark', 'Measure', 'Ours', 'Baseline', 'Ratio'],
    rows.map((row) => [
      row.benchmark,
      row.case,
      typeof row.ours === 'string' ? row.ours : formatSummary(row.ours),
      row.baseline ? `${row.baseline.label}: ${formatSummary(row.baseline.summary)}` : '',
      row.ratio === undefined ? '' : `${formatNumber(row.ratio)}×`,
    ]),
  );
  const barTable = renderTable(
    ['Benchmark', 'Bar', 'Measured', 'Met'],
    bars.map((bar) => [bar.benchmark, bar.bar, bar.value, bar.met ? 'yes' : 'NO']),
  );
  return { results, bars: barTable };
}

/** `AMD EPYC, 2 cores, 24 GiB, Linux 6.18, Node v20.20.2`. */
export function describeRun({ machine }) {
  return `${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}`;
}

function metCount(bars) {
  return `${bars.filter((bar) => bar.met).length} of ${bars.length}`;
}

/** The "Latest figures" block of bench/README.md. */
export function benchReadmeFigures(summary) {
  const { results, bars } = renderResults(summary);
  return [
    `The figures below are from the \`pnpm bench\` run of ${summary.date.slice(0, 10)} (${describeRun(summary)}), which took ${summary.durationS} s. ${metCount(summary.bars)} bars are met.${summary.note ? ` ${summary.note}` : ''}`,
    '',
    '```text',
    results,
    '```',
    '',
    '```text',
    bars,
    '```',
  ].join('\n');
}

/** Finds the row of `benchmark` whose measure matches `test` (a string or a RegExp). */
function finder(rows) {
  return (benchmark, test) => {
    const row = rows.find(
      (candidate) =>
        candidate.benchmark === benchmark &&
        (typeof test === 'string' ? candidate.case === test : test.test(candidate.case)),
    );
    if (!row) throw new Error(`no ${benchmark} row "${test}" in the summary`);
    return row;
  };
}

const median = (summaryOrText) => formatNumber(summaryOrText.median);
const ratio = (row) => `${formatNumber(row.ratio)}×`;

/** The Performance table of the root README and the bars it misses. */
export function rootReadmeFigures(summary) {
  const row = finder(summary.rows);
  const respondOff = row('dispatch', '1,000 cmds, audit off: commands/s');
  const respondOn = row('dispatch', /^1,000 cmds, audit on.*: commands\/s$/);
  const p50At10 = row('dispatch', '10 cmds, audit off: p50 latency µs (1 user)');
  const p50At10k = row('dispatch', '10,000 cmds, audit off: p50 latency µs (1 user)');
  const ackP99 = row('slack-ack', 'ack latency p99 ms');
  const redelivery = row('slack-ack', 'redelivered / unanswered / answered twice');
  const s3 = row('aws-scan', 'aws s3 public: wall s (concurrency 16)');
  const iam = row('aws-scan', 'aws iam no-mfa: IAM calls');
  const loop = row('scripts', 'event-loop delay p99 ms, whole run');
  const start = row('footprint', 'start to ready, ms');
  const idle = row('footprint', 'RSS idle, MB (after a full GC)');
  const after = row('footprint', 'RSS after 100,000 commands, MB (after a full GC)');
  const shell = row('footprint', 'commands/s through the shell adapter');
  const costRatio = formatNumber(p50At10k.ours.median / p50At10.ours.median);
  const hubotMs = (value) => `${formatNumber(value / 1000)} ms`;

  const table = [
    [
      'dispatch, 1,000 commands + 100 `hear` listeners, audit log off',
      `${median(respondOff.ours)} commands/s`,
      `Hubot \`respond\`: ${median(respondOff.baseline.summary)}`,
      ratio(respondOff),
    ],
    [
      'the same with every decision fsynced to the audit log',
      `${median(respondOn.ours)} commands/s`,
      `Hubot \`respond\`: ${median(respondOn.baseline.summary)}`,
      ratio(respondOn),
    ],
    [
      'unloaded cost per command, 10 → 10,000 commands',
      `${median(p50At10.ours)} → ${median(p50At10k.ours)} µs (${costRatio}×)`,
      `Hubot: ${median(p50At10.baseline.summary)} µs → ${hubotMs(p50At10k.baseline.summary.median)}`,
      '',
    ],
    [
      'Slack Socket Mode ack p99, 5,000 envelopes, 200 ms handlers',
      `${median(ackP99.ours)} ms; redelivered / unanswered / twice: ${redelivery.ours}`,
      '',
      '',
    ],
    [
      '`aws s3 public`, 1,000 buckets at 50 ms per call',
      `${median(s3.ours)} s`,
      `${s3.baseline.label}: ${median(s3.baseline.summary)} s`,
      ratio(s3),
    ],
    [
      '`aws iam no-mfa`, 5,000 users',
      `${median(iam.ours)} IAM calls`,
      `per-user: ${median(iam.baseline.summary)}`,
      '',
    ],
    [
      'event-loop delay p99 while 20 scripts stream 50 MB each',
      `${median(loop.ours)} ms`,
      `idle process: ${median(loop.baseline.summary)} ms`,
      '',
    ],
    [
      'start to ready / RSS idle → after 100,000 commands',
      `${median(start.ours)} ms / ${median(idle.ours)} → ${median(after.ours)} MB`,
      `Hubot: ${median(start.baseline.summary)} ms / ${median(idle.baseline.summary)} → ${median(after.baseline.summary)} MB`,
      '',
    ],
    [
      'commands/s through the shell adapter, one at a time, audit fsynced',
      `${median(shell.ours)} commands/s`,
      `Hubot Shell adapter: ${median(shell.baseline.summary)}`,
      ratio(shell),
    ],
  ];
  const missed = summary.bars.filter((bar) => !bar.met);
  const misses = missed.length
    ? ` Not met: ${missed.map((bar) => `${bar.benchmark} "${bar.bar}" (${bar.value})`).join('; ')}.`
    : '';
  return [
    `Measured side by side with Hubot 14 and the aws-cli script approach in the \`pnpm bench\` run of ${summary.date.slice(0, 10)} (${describeRun(summary)}; median of repeated runs; [bench/results/summary.json](bench/results/summary.json)). ${metCount(summary.bars)} bars of the benchmark issue are met.${misses}`,
    '',
    markdownTable(['what', 'ours', 'baseline', 'ratio'], table),
  ].join('\n');
}

function markdownTable(header, rows) {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column].length)),
  );
  const line = (cells) => `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** Replaces what lies between `<!-- name:begin … -->` and `<!-- name:end -->` in `text`. */
export function replaceBlock(text, name, content) {
  const pattern = new RegExp(`(<!-- ${name}:begin[^>]*-->\\n)[\\s\\S]*?(<!-- ${name}:end -->)`);
  if (!pattern.test(text)) throw new Error(`no <!-- ${name}:begin --> … <!-- ${name}:end --> block`);
  return text.replace(pattern, (_, begin, end) => `${begin}${content}\n${end}`);
}
