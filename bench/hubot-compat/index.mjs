import { fileURLToPath } from 'node:url';
import { PROTOCOL } from '../dispatch/workload.mjs';
import { summarize } from '../lib/stats.mjs';
import { runWorker } from '../lib/worker.mjs';
import { SCRIPTS } from './scripts.mjs';

const worker = (name) => fileURLToPath(new URL(`./${name}`, import.meta.url));

/** Each side in its own fresh process, interleaved so background load hits all alike. */
const SIDES = [
  { key: 'compatLiteral', label: 'compat, audit off', script: 'compat-worker.mjs', args: ['literal', 'off'] },
  { key: 'hubotLiteral', label: 'Hubot 14', script: 'hubot-worker.mjs', args: ['literal'] },
  {
    key: 'compatLiteralAudit',
    label: 'compat, audit on',
    script: 'compat-worker.mjs',
    args: ['literal', 'on'],
  },
  { key: 'compatGroup', label: 'compat, audit off', script: 'compat-worker.mjs', args: ['group', 'off'] },
  { key: 'hubotGroup', label: 'Hubot 14', script: 'hubot-worker.mjs', args: ['group'] },
];

function summaries(result) {
  return {
    perSecond: summarize(result.runs.map((run) => run.perSecond)),
    p50Us: summarize(result.runs.map((run) => run.p50 * 1000)),
    p99Us: summarize(result.runs.map((run) => run.p99 * 1000)),
    sent: result.sent,
    ...(result.indexed === undefined ? {} : { indexed: result.indexed, scanned: result.scanned }),
  };
}

export default {
  name: 'hubot-compat',
  title: `Hubot scripts: the same ${SCRIPTS.toLocaleString('en-US')} respond scripts under Hubot 14 and under @chatops/hubot-compat`,
  async run({ progress }) {
    const measured = {};
    for (const side of SIDES) {
      progress(`hubot-compat: ${side.label}, ${side.args[0]} patterns`);
      measured[side.key] = summaries(await runWorker(worker(side.script), side.args));
    }
    const rows = [];
    const compare = (scenario, ours, baseline) => {
      rows.push(
        {
          benchmark: 'hubot-compat',
          case: `${scenario}: commands/s`,
          ours: ours.perSecond,
          baseline: { label: 'Hubot 14', summary: baseline.perSecond },
          ratio: ours.perSecond.median / baseline.perSecond.median,
        },
        ...['p50', 'p99'].map((percentile) => ({
          benchmark: 'hubot-compat',
          case: `${scenario}: ${percentile} latency µs (1 user)`,
          ours: ours[`${percentile}Us`],
          baseline: { label: 'Hubot 14', summary: baseline[`${percentile}Us`] },
          ratio: baseline[`${percentile}Us`].median / ours[`${percentile}Us`].median,
        })),
      );
    };
    compare('literal first word (indexed), audit off', measured.compatLiteral, measured.hubotLiteral);
    compare('literal first word (indexed), audit on', measured.compatLiteralAudit, measured.hubotLiteral);
    compare('group first (scanned), audit off', measured.compatGroup, measured.hubotGroup);
    const speedUp = measured.compatLiteral.perSecond.median / measured.hubotLiteral.perSecond.median;
    return {
      protocol: { ...PROTOCOL, scripts: SCRIPTS },
      measured,
      rows,
      bars: [
        {
          benchmark: 'hubot-compat',
          bar: '1,000 literal respond scripts: faster than Hubot 14 (audit off)',
          value: `${speedUp.toFixed(1)}×`,
          met: speedUp > 1,
        },
      ],
    };
  },
};
