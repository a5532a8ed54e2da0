import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import awsScan from './aws-scan/index.mjs';
import dispatch from './dispatch/index.mjs';
import { readSummary, renderedReadmes } from './figures.mjs';
import footprint from './footprint/index.mjs';
import hubotCompat from './hubot-compat/index.mjs';
import { renderResults } from './lib/figures.mjs';
import { describeMachine } from './lib/machine.mjs';
import replicas from './replicas/index.mjs';
import scripts from './scripts-load/index.mjs';
import slackAck from './slack-ack/index.mjs';
import store from './store/index.mjs';

/**
 * `node bench/run.mjs [name...]`: runs the benchmarks (all, or the ones named), prints one table and
 * writes bench/results.json (every run; not kept in git). A complete run also writes
 * bench/results/summary.json (kept) and the README figures rendered from it. Expects the workspace
 * to be built (`pnpm bench` builds first).
 */
const BENCHMARKS = [dispatch, hubotCompat, slackAck, awsScan, footprint, scripts, store, replicas];

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
const tables = renderResults({ rows, bars });
console.log(
  `\nMedian of repeated runs (min–max). Ratio = times better than the baseline measured in this run (> 1: ours is better).\n`,
);
console.log(tables.results);
console.log('\nBars\n');
console.log(tables.bars);
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

// A complete run becomes the one the READMEs quote: its summary is kept in the repository.
if (wanted.length === 0 && failures.length === 0) {
  const summaryPath = fileURLToPath(new URL('./results/summary.json', import.meta.url));
  const date = new Date(started).toISOString();
  await writeFile(summaryPath, `${JSON.stringify({ date, durationS, machine, rows, bars }, null, 2)}\n`);
  for (const readme of await renderedReadmes(await readSummary()))
    await writeFile(readme.path, readme.expected);
  console.log(`Summary written to ${summaryPath}; README figures updated from it`);
}
