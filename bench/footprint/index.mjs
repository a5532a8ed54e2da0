import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { rssOf, waitFor } from '../lib/robot-process.mjs';
import { summarize } from '../lib/stats.mjs';
import { startHubot, startOurs } from './processes.mjs';

const STARTS = 5;
const COMMANDS = 100_000;
const BATCH = 1000;
const SAMPLE_EVERY = 10_000;
const IDLE_MS = 1000;
const MB = 1024 * 1024;

/**
 * Start-to-ready (spawn → "robot started" / Hubot's prompt), idle RSS, and RSS while 100,000 commands
 * (`hello w<i>` and `whoami`, alternating) are piped through each side's shell adapter, for
 * `chatops start` with every plugin and for Hubot 14 with the same two commands. Both run with the
 * same Node flags and the memory probe (full GC before each reading).
 */
export default {
  name: 'footprint',
  title: `Footprint: start-to-ready, idle RSS, RSS after ${COMMANDS.toLocaleString('en-US')} commands`,
  async run({ progress }) {
    const sides = {};
    for (const [key, label, start] of [
      ['ours', 'chatops start', startOurs],
      ['hubot', 'Hubot 14', startHubot],
    ]) {
      progress(`footprint: ${label}, ${STARTS} starts, then ${COMMANDS.toLocaleString('en-US')} commands`);
      sides[key] = await measureSide(start);
    }
    const { ours, hubot } = sides;
    const row = (measure, key, ratio = (a, b) => b / a) => ({
      benchmark: 'footprint',
      case: measure,
      ours: ours[key],
      baseline: { label: 'Hubot 14', summary: hubot[key] },
      ratio: ratio(ours[key].median, hubot[key].median),
    });
    const growth = ours.growthPercent.median;
    return {
      protocol: { starts: STARTS, commands: COMMANDS, batch: BATCH, idleMs: IDLE_MS },
      ours,
      hubot,
      rows: [
        row('start to ready, ms', 'readyMs'),
        row('RSS idle, MB (after a full GC)', 'idleMB'),
        row(`RSS after ${COMMANDS.toLocaleString('en-US')} commands, MB (after a full GC)`, 'loadedMB'),
        row(`RSS after ${COMMANDS.toLocaleString('en-US')} commands, MB (as found)`, 'loadedRawMB'),
        row('JS heap used idle, MB', 'heapIdleMB'),
        row(`JS heap used after ${COMMANDS.toLocaleString('en-US')} commands, MB`, 'heapLoadedMB'),
        {
          benchmark: 'footprint',
          case: 'RSS growth idle → 100,000 commands, %',
          ours: ours.growthPercent,
          baseline: { label: 'Hubot 14', summary: hubot.growthPercent },
        },
        {
          benchmark: 'footprint',
          case: 'RSS growth 10,000 → 100,000 commands, %',
          ours: ours.lateGrowthPercent,
          baseline: { label: 'Hubot 14', summary: hubot.lateGrowthPercent },
        },
        row('commands/s through the shell adapter', 'perSecond', (a, b) => a / b),
      ],
      bars: [
        {
          benchmark: 'footprint',
          bar: `RSS growth < 10% after ${COMMANDS.toLocaleString('en-US')} commands`,
          value: `${growth.toFixed(1)}% (${ours.idleMB.median.toFixed(0)} → ${ours.loadedMB.median.toFixed(0)} MB)`,
          met: growth < 10,
        },
      ],
    };
  },
};

async function measureSide(start) {
  const readyMs = [];
  for (let attempt = 1; attempt <= STARTS; attempt++) {
    const dir = await mkdtemp(join(tmpdir(), 'chatops-bench-footprint-'));
    const bot = start(dir);
    const running = await bot;
    try {
      const readyAt = await Promise.race([
        running.readyAt,
        sleep(30_000).then(() => {
          throw new Error(`not ready after 30 s:\n${running.output()}`);
        }),
      ]);
      readyMs.push(readyAt - running.startedAt);
      if (attempt === STARTS) return { readyMs: summarize(readyMs), ...(await load(running)) };
    } finally {
      await running.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }
}

/**
 * Idle memory, then 100,000 commands in batches (each waits for its replies), memory sampled on the
 * way. Memory is read after a full GC (the probe), plus the raw RSS before it.
 */
async function load(bot) {
  await sleep(IDLE_MS);
  const pid = bot.process.pid;
  const sample = async (commands) => {
    const rawRss = await rssOf(pid);
    const { rss, heapUsed, heapTotal, external } = await bot.memory();
    return { commands, rawRss, rss, heapUsed, heapTotal, external };
  };
  const replies = countReplies(bot.process.stdout, 'Hello, w');
  const samples = [await sample(0)];
  const started = performance.now();
  for (let sent = 0; sent < COMMANDS; ) {
    const lines = [];
    for (let i = 0; i < BATCH; i++, sent++) lines.push(sent % 2 === 0 ? 'whoami' : `hello w${sent}`);
    bot.process.stdin.write(`${lines.join('\n')}\n`);
    await waitFor(() => replies.count >= sent / 2, `replies to ${sent} commands`, {
      timeoutMs: 120_000,
      everyMs: 5,
    });
    if (sent % SAMPLE_EVERY === 0 && sent < COMMANDS) samples.push(await sample(sent));
  }
  const elapsedMs = performance.now() - started;
  await sleep(IDLE_MS);
  samples.push(await sample(COMMANDS));
  const [idle, at10k] = samples;
  const loaded = samples.at(-1);
  const one = (value) => summarize([value]);
  const growth = (from, to) => one(((to - from) / from) * 100);
  return {
    idleMB: one(idle.rss / MB),
    loadedMB: one(loaded.rss / MB),
    loadedRawMB: one(loaded.rawRss / MB),
    growthPercent: growth(idle.rss, loaded.rss),
    lateGrowthPercent: growth(at10k.rss, loaded.rss),
    heapIdleMB: one(idle.heapUsed / MB),
    heapLoadedMB: one(loaded.heapUsed / MB),
    perSecond: one(COMMANDS / (elapsedMs / 1000)),
    samples: samples.map((entry) => ({
      commands: entry.commands,
      rssMB: entry.rss / MB,
      rawRssMB: entry.rawRss / MB,
      heapUsedMB: entry.heapUsed / MB,
      heapTotalMB: entry.heapTotal / MB,
      externalMB: entry.external / MB,
    })),
  };
}

/** Counts occurrences of `needle` in a text stream, across chunk boundaries. */
function countReplies(stream, needle) {
  const counter = { count: 0 };
  let carry = '';
  stream.on('data', (chunk) => {
    const text = carry + chunk;
    for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length))
      counter.count += 1;
    carry = text.slice(-(needle.length - 1));
  });
  return counter;
}
