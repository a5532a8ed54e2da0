import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarize } from '../lib/stats.mjs';
import { runWorker } from '../lib/worker.mjs';
import { HEAR_LISTENERS, PROTOCOL } from './workload.mjs';

const SIZES = [10, 100, 1000, 10000];
const worker = (name) => fileURLToPath(new URL(`./${name}`, import.meta.url));

/** The four sides, each run in its own fresh process, interleaved so background load hits all alike. */
const SIDES = [
  { key: 'oursOff', label: 'ours, audit off', script: worker('ours-worker.mjs'), mode: 'off' },
  { key: 'hubotRespond', label: 'Hubot respond', script: worker('hubot-worker.mjs'), mode: 'respond' },
  { key: 'oursOn', label: 'ours, audit on', script: worker('ours-worker.mjs'), mode: 'on' },
  {
    key: 'hubotCommandBus',
    label: 'Hubot CommandBus',
    script: worker('hubot-worker.mjs'),
    mode: 'commandbus',
  },
  // Shipping cost does not depend on the number of commands: measured at 1,000 only.
  {
    key: 'oursSinks',
    label: 'ours, audit on + sinks',
    script: worker('ours-worker.mjs'),
    mode: 'sinks',
    sizes: [1000],
  },
];

/**
 * `BENCH_BEFORE=<dir>`: a built checkout of an earlier commit. Its own worker (with its own build of
 * core) runs as two more sides, interleaved with ours, for a before/after comparison in one run.
 */
const BEFORE = process.env.BENCH_BEFORE;
if (BEFORE) {
  const script = resolve(BEFORE, 'bench/dispatch/ours-worker.mjs');
  SIDES.push(
    { key: 'beforeOff', label: 'before, audit off', script, mode: 'off' },
    { key: 'beforeOn', label: 'before, audit on', script, mode: 'on' },
  );
}

function summaries(result) {
  const pick = (field) => summarize(result.runs.map((run) => run[field]));
  return {
    perSecond: pick('perSecond'),
    p50Us: summarize(result.runs.map((run) => run.p50 * 1000)),
    p99Us: summarize(result.runs.map((run) => run.p99 * 1000)),
    loadedP50Us: summarize(result.runs.map((run) => run.loadedP50 * 1000)),
    loadedP99Us: summarize(result.runs.map((run) => run.loadedP99 * 1000)),
    sent: result.sent,
    ...(result.auditFsyncs ? { linesPerFsync: result.auditLines / result.auditFsyncs } : {}),
  };
}

export default {
  name: 'dispatch',
  title: `Dispatch: whole pipeline, N commands + ${HEAR_LISTENERS} hear listeners`,
  async run({ progress }) {
    const measured = {};
    for (const size of SIZES) {
      measured[size] = {};
      for (const side of SIDES) {
        if (side.sizes && !side.sizes.includes(size)) continue;
        progress(`dispatch: ${size} commands, ${side.label}`);
        measured[size][side.key] = summaries(await runWorker(side.script, [size, side.mode]));
      }
    }

    const rows = [];
    for (const size of SIZES) {
      const { oursOff, oursOn, hubotRespond, hubotCommandBus } = measured[size];
      const n = size.toLocaleString('en-US');
      const lines = oursOn.linesPerFsync ? `, ${oursOn.linesPerFsync.toFixed(1)} lines/fsync` : '';
      const respond = (metric) => ({ label: 'Hubot respond', summary: hubotRespond[metric] });
      rows.push(
        throughputRow(`${n} cmds, audit off`, oursOff, respond('perSecond')),
        throughputRow(`${n} cmds, audit off`, oursOff, {
          label: 'Hubot CommandBus',
          summary: hubotCommandBus.perSecond,
        }),
        throughputRow(`${n} cmds, audit on${lines}`, oursOn, respond('perSecond')),
        latencyRow(`${n} cmds, audit off`, 'p50', oursOff.p50Us, respond('p50Us')),
        latencyRow(`${n} cmds, audit off`, 'p99', oursOff.p99Us, respond('p99Us')),
        latencyRow(`${n} cmds, audit on`, 'p50', oursOn.p50Us, respond('p50Us')),
        latencyRow(`${n} cmds, audit on`, 'p99', oursOn.p99Us, respond('p99Us')),
      );
    }

    const { oursOn, oursSinks } = measured[1000];
    rows.push(
      {
        benchmark: 'dispatch',
        case: '1,000 cmds, audit on + sinks (S3 Object Lock + HTTP, signed checkpoints): commands/s',
        ours: oursSinks.perSecond,
        baseline: { label: 'ours, audit on, no sinks', summary: oursOn.perSecond },
        ratio: oursSinks.perSecond.median / oursOn.perSecond.median,
      },
      latencyRow('1,000 cmds, audit on + sinks', 'p50', oursSinks.p50Us, {
        label: 'ours, audit on, no sinks',
        summary: oursOn.p50Us,
      }),
    );

    if (BEFORE) rows.push(...beforeRows(measured));

    const at = (size, side) => measured[size][side].perSecond.median;
    const bars = [];
    for (const side of ['oursOff', 'oursOn']) {
      const audit = side === 'oursOff' ? 'audit off' : 'audit on';
      const speedUp = at(1000, side) / at(1000, 'hubotRespond');
      bars.push({
        benchmark: 'dispatch',
        bar: `1,000 cmds: ≥ 10× Hubot's listener throughput (${audit})`,
        value: `${speedUp.toFixed(1)}×`,
        met: speedUp >= 10,
      });
      // Cost per command: the unloaded p50 latency (CPU time of one command), steadier than
      // throughput on a shared machine; the throughput ratio is shown next to it.
      const p50 = (size) => measured[size][side].p50Us.median;
      const growth = p50(10000) / p50(10);
      bars.push({
        benchmark: 'dispatch',
        bar: `cost at 10,000 cmds within 1.5× of cost at 10 (${audit})`,
        value: `${growth.toFixed(2)}× p50 (throughput ${(at(10, side) / at(10000, side)).toFixed(2)}×)`,
        met: growth <= 1.5,
      });
    }
    return {
      protocol: { ...PROTOCOL, sizes: SIZES, hearListeners: HEAR_LISTENERS },
      measured,
      rows,
      bars,
    };
  },
};

/** This build against the earlier one (`BENCH_BEFORE`): throughput and p50/p99, audit off and on. */
function beforeRows(measured) {
  const rows = [];
  for (const size of SIZES) {
    const n = size.toLocaleString('en-US');
    for (const [side, before, audit] of [
      ['oursOff', 'beforeOff', 'audit off'],
      ['oursOn', 'beforeOn', 'audit on'],
    ]) {
      const ours = measured[size][side];
      const earlier = (metric) => ({ label: 'before', summary: measured[size][before][metric] });
      rows.push(
        throughputRow(`${n} cmds, ${audit}, vs before`, ours, earlier('perSecond')),
        latencyRow(`${n} cmds, ${audit}, vs before`, 'p50', ours.p50Us, earlier('p50Us')),
        latencyRow(`${n} cmds, ${audit}, vs before`, 'p99', ours.p99Us, earlier('p99Us')),
      );
    }
  }
  return rows;
}

function throughputRow(scenario, ours, baseline) {
  return {
    benchmark: 'dispatch',
    case: `${scenario}: commands/s`,
    ours: ours.perSecond,
    baseline,
    ratio: ours.perSecond.median / baseline.summary.median,
  };
}

function latencyRow(scenario, percentile, ours, baseline) {
  return {
    benchmark: 'dispatch',
    case: `${scenario}: ${percentile} latency µs (1 user)`,
    ours,
    baseline,
    ratio: baseline.summary.median / ours.median,
  };
}
