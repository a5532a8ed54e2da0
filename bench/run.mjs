import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import awsScan from './aws-scan/index.mjs';
import dispatch from './dispatch/index.mjs';
import footprint from './footprint/index.mjs';
import { describeMachine } from './lib/machine.mjs';
import { formatNumber, formatSummary, renderTable } from './lib/table.mjs';
import replicas from './replicas/index.mjs';
import scripts from './scripts-load/index.mjs';
import slackAck from './slack-ack/index.mjs';
import store from './store/index.mjs';

/**
 * `node bench/run.mjs [name...]`: runs the benchmarks (all, or the ones named), prints one table and
 * writes bench/results.json. Expects the workspace to be built (`pnpm bench` builds first).
 */
const BENCHMARKS = [dispatch, slackAck, awsScan, footprint, scripts, store, replicas];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !BENCHMARKS.some((benchmark) => benchmark.name === name));
if (unknown.length > 0) {
  console.error(
    `unknown benchmark ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`,
  );
  process.exit(2);
}
const selected = BENCHMARKS.filter((benchmark) => wanted.length === 0 || wanted.includes(benchmark.name));

const machine = describeMachine();
const started = Date.now();
const results = {};
const failures = [];
for (const benchmark of selected) {
  const progress = (message) =>
    process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0)}s] ${message}\n`);
  progress(`${benchmark.title}`);
  try {
    results[benchmark.name] = await benchmark.run({ progress });
  } catch (error) {
    failures.push(benchmark.name);
    results[benchmark.name] = { error: error.stack ?? String(error) };
    console.error(`${benchmark.name} failed: ${error.stack ?? error}`);
  }
}

const rows = Object.values(results).flatMap((result) => result.rows ?? []);
const bars = Object.values(results).flatMap((result) => result.bars ?? []);
console.log(
  `\nMedian of repeated runs (min–max). Ratio = times better than the baseline measured in this run (> 1: ours is better).\n`,
);
console.log(
  renderTable(
    ['Benchmark', 'Measure', 'Ours', 'Baseline', 'Ratio'],
    rows.map((row) => [
      row.benchmark,
      row.case,
      typeof row.ours === 'string' ? row.ours : formatSummary(row.ours),
      row.baseline ? `${row.baseline.label}: ${formatSummary(row.baseline.summary)}` : '',
      row.ratio === undefined ? '' : `${formatNumber(row.ratio)}×`,
    ]),
  ),
);
console.log('\nBars\n');
console.log(
  renderTable(
    ['Benchmark', 'Bar', 'Measured', 'Met'],
    bars.map((bar) => [bar.benchmark, bar.bar, bar.value, bar.met ? 'yes' : 'NO']),
  ),
);
const durationS = Math.round((Date.now() - started) / 1000);
console.log(
  `\n${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}; ${durationS} s`,
);

const output = fileURLToPath(new URL('./results.json', import.meta.url));
await writeFile(
  output,
  `${JSON.stringify({ date: new Date(started).toISOString(), durationS, machine, rows, bars, results }, null, 2)}\n`,
);
console.log(`Results written to ${output}`);
if (failures.length > 0) process.exitCode = 1;
