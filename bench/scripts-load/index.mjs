import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { SlackEmulator } from '@chatops/adapter-slack/emulator';
import { probeArgs, probeClient } from '../lib/probe-client.mjs';
import { childCount, startRobot, waitFor, writeConfig } from '../lib/robot-process.mjs';
import { percentile, summarize } from '../lib/stats.mjs';

const SCRIPTS = 20;
const MEGABYTES = 50;
const RUNS = 3;
/** Enough talkers that each DM gets a command every 1.2 s: the adapter paces posts at 1/s per channel. */
const TALKERS = 60;
/** A `whoami` from one of the talkers this often, while the scripts stream and while they do not. */
const TALK_EVERY_MS = 20;
const QUIET_MS = 2000;
const STREAM = fileURLToPath(new URL('./stream.sh', import.meta.url));

/**
 * The real CLI on the Slack adapter (Socket Mode against the emulator in this process) with
 * plugin-shell: 20 users each run a script printing 50 MB as fast as it can be read, while other users
 * send `whoami` every 20 ms. A probe preloaded into the robot samples its event-loop delay every 10 ms:
 * over the whole run (first command → last result), over steady streaming alone (every script running,
 * none finished), and over a quiet window without scripts.
 */
export default {
  name: 'scripts',
  title: `Scripts: event-loop delay while ${SCRIPTS} scripts stream ${MEGABYTES} MB each`,
  async run({ progress }) {
    const emulator = await SlackEmulator.start({ echoBotMessages: false });
    for (let k = 0; k < SCRIPTS; k++) emulator.addUser({ name: `runner${k}` });
    for (let k = 0; k < TALKERS; k++) emulator.addUser({ name: `talker${k}` });
    const dir = await mkdtemp(join(tmpdir(), 'chatops-bench-scripts-'));
    const configPath = await writeConfig(dir, {
      name: 'opsbot',
      adapter: 'slack',
      slack: {
        mode: 'socket',
        botToken: emulator.tokens.bot,
        appToken: emulator.tokens.app,
        apiUrl: emulator.apiUrl,
      },
      store: { type: 'sqlite', path: '.chatops/state.db' },
      audit: { path: '.chatops/audit.jsonl' },
      log: { level: 'warn' },
      auth: { rateLimit: { burst: 1000, perMinute: 100_000 } },
      plugins: {
        '@chatops/plugin-shell': {
          scripts: {
            stream: {
              description: 'Prints <mb> megabytes of log lines',
              command: STREAM,
              params: [{ name: 'mb', number: { min: 1, max: 1000, integer: true } }],
              effect: 'read',
              timeout: '2m',
              concurrency: SCRIPTS,
              maxQueue: SCRIPTS,
            },
          },
        },
      },
    });
    const probe = probeClient();
    const robot = startRobot(configPath, { nodeArgs: probeArgs(), onStderr: (chunk) => probe.read(chunk) });
    const control = startControl();
    const calls = new CallReader(emulator);
    try {
      await waitFor(
        () => emulator.socket.connectionCount > 0 || robot.child.exitCode !== null,
        'the robot to connect to Socket Mode',
        { timeoutMs: 30_000 },
      );
      if (robot.child.exitCode !== null) throw new Error(`the robot exited:\n${robot.output()}`);

      progress('scripts: warm-up');
      await streamAll(emulator, calls, 1);
      const quiet = [];
      const streaming = [];
      for (let r = 1; r <= RUNS; r++) {
        progress(`scripts: run ${r}/${RUNS}, quiet window then ${SCRIPTS} scripts × ${MEGABYTES} MB`);
        await probe.ask(robot.child);
        const quietTalk = talk(emulator, calls);
        await sleep(QUIET_MS);
        const quietTraffic = await quietTalk.stop();
        quiet.push({ ...delayStats((await probe.ask(robot.child)).delays), ...quietTraffic });

        const busyTalk = talk(emulator, calls);
        const started = performance.now();
        await control.probe.ask(control.child);
        const controlWindows = [];
        const windows = await streamAll(emulator, calls, MEGABYTES, {
          spawned: () => childCount(robot.child.pid).then((count) => count >= SCRIPTS),
          mark: async () => {
            const [own, idle] = await Promise.all([probe.ask(robot.child), control.probe.ask(control.child)]);
            controlWindows.push(idle.delays);
            return own.delays;
          },
        });
        const wallMs = performance.now() - started;
        const whole = windows.flat();
        const steady = delayStats(windows[1]);
        const controlWhole = delayStats(controlWindows.flat());
        const controlSteady = delayStats(controlWindows[1]);
        streaming.push({
          controlP99Ms: controlWhole.p99Ms,
          controlSteadyP99Ms: controlSteady.p99Ms,
          ...delayStats(whole),
          steadyP50Ms: steady.p50Ms,
          steadyP99Ms: steady.p99Ms,
          steadyMaxMs: steady.maxMs,
          windows: { spawning: delayStats(windows[0]), steady, finishing: delayStats(windows[2]) },
          ...(await busyTalk.stop()),
          wallMs,
          megabytesPerSecond: (SCRIPTS * MEGABYTES) / (wallMs / 1000),
        });
      }
      const pick = (runs, key) => summarize(runs.map((run) => run[key]));
      const row = (measure, key) => ({
        benchmark: 'scripts',
        case: measure,
        ours: pick(streaming, key),
        baseline: { label: 'no scripts running', summary: pick(quiet, key) },
      });
      const p99 = pick(streaming, 'p99Ms');
      const flowing = streaming.every(
        (run) => run.unanswered === 0 && run.unacked === 0 && run.redelivered === 0,
      );
      return {
        protocol: {
          scripts: SCRIPTS,
          megabytes: MEGABYTES,
          runs: RUNS,
          talkers: TALKERS,
          talkEveryMs: TALK_EVERY_MS,
          sampling: '10 ms',
        },
        streaming,
        quiet,
        rows: [
          row('event-loop delay p50 ms, whole run', 'p50Ms'),
          row('event-loop delay max ms, whole run', 'maxMs'),
          {
            benchmark: 'scripts',
            case: 'event-loop delay p99 ms, whole run',
            ours: pick(streaming, 'p99Ms'),
            baseline: { label: 'idle node process, same window', summary: pick(streaming, 'controlP99Ms') },
          },
          {
            benchmark: 'scripts',
            case: 'event-loop delay p99 ms, steady streaming only',
            ours: pick(streaming, 'steadyP99Ms'),
            baseline: {
              label: 'idle node process, same window',
              summary: pick(streaming, 'controlSteadyP99Ms'),
            },
          },
          row('whoami ack p99 ms', 'ackP99Ms'),
          row('whoami reply p50 ms', 'replyP50Ms'),
          row('whoami reply p99 ms', 'replyP99Ms'),
          {
            benchmark: 'scripts',
            case: 'script output read, MB/s (all 20)',
            ours: pick(streaming, 'megabytesPerSecond'),
          },
        ],
        bars: [
          {
            benchmark: 'scripts',
            bar: `event-loop delay p99 < 20 ms while ${SCRIPTS} scripts stream`,
            value: `${p99.median.toFixed(1)} ms`,
            met: p99.median < 20,
          },
          {
            benchmark: 'scripts',
            bar: 'acks and other commands keep flowing',
            value: streaming
              .map((run) => `${run.sent} sent, ${run.unacked} unacked, ${run.unanswered} unanswered`)
              .join('; '),
            met: flowing,
          },
        ],
      };
    } catch (error) {
      error.message += `\nrobot output:\n${robot.output()}`;
      throw error;
    } finally {
      control.child.kill();
      await robot.stop();
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
    }
  },
};

/**
 * Runs `stream <mb>` for every runner at once; resolves when every run reported "stream finished".
 * With `probe`, returns the loop delays of three windows: spawning (until the robot has every script
 * running), steady streaming (until the first one finished) and finishing.
 */
async function streamAll(emulator, calls, megabytes, probe) {
  const from = calls.mark();
  const deliveries = [];
  for (let k = 0; k < SCRIPTS; k++) {
    deliveries.push(
      emulator.directMessage({ user: `runner${k}`, text: `run stream ${megabytes}` }).deliveries[0].outcome,
    );
  }
  const finished = (count) =>
    waitFor(() => calls.finishedSince(from) >= count, `${count} scripts to finish`, {
      timeoutMs: 180_000,
      everyMs: 10,
    });
  if (!probe) {
    await Promise.all(deliveries);
    await finished(SCRIPTS);
    return [];
  }
  await waitFor(
    async () => (await probe.spawned()) || calls.finishedSince(from) > 0,
    'every script to start',
    {
      timeoutMs: 60_000,
      everyMs: 5,
    },
  );
  const spawning = await probe.mark();
  await finished(1);
  const steady = await probe.mark();
  await Promise.all(deliveries);
  await finished(SCRIPTS);
  return [spawning, steady, await probe.mark()];
}

/**
 * An idle Node process with the same probe, sampled over the same windows: how late a timer runs on
 * this machine anyway while 40 script processes compete for its cores.
 */
function startControl() {
  const probe = probeClient();
  const child = spawn(process.execPath, [...probeArgs(), '-e', 'setInterval(() => {}, 60_000)'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => probe.read(chunk));
  return { child, probe };
}

/** p50, p99 and max of event-loop delay samples (ms). */
function delayStats(delays) {
  return {
    p50Ms: percentile(delays, 50),
    p99Ms: percentile(delays, 99),
    maxMs: delays.length ? Math.max(...delays) : Number.NaN,
    samples: delays.length,
  };
}

/** Sends `whoami` from the talkers every 20 ms until stopped; then reports acks and replies. */
let talked = 0;
function talk(emulator, calls) {
  const from = calls.mark();
  const sent = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      // One counter across windows, so every talker's DM keeps its 1.2 s rhythm.
      const user = `talker${talked++ % TALKERS}`;
      const channel = emulator.dmChannel(user).id;
      const entry = { channel, sentAt: Date.now(), acked: undefined };
      const startedAt = performance.now();
      const delivery = emulator.directMessage({ user, text: 'whoami' }).deliveries[0];
      entry.outcome = delivery.outcome.then((outcome) => {
        entry.acked = outcome.acked && outcome.attempt === 0 ? performance.now() - startedAt : undefined;
        entry.redelivered = delivery.attempts > 1;
      });
      sent.push(entry);
      await sleep(TALK_EVERY_MS);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      await Promise.all(sent.map((entry) => entry.outcome));
      await waitFor(() => calls.repliesSince(from, sent) === 0, 'every whoami to be answered', {
        timeoutMs: 30_000,
        everyMs: 20,
      }).catch(() => undefined);
      const replies = calls.replyLatencies(from, sent);
      const acks = sent.map((entry) => entry.acked).filter((value) => value !== undefined);
      return {
        sent: sent.length,
        unacked: sent.length - acks.length,
        redelivered: sent.filter((entry) => entry.redelivered).length,
        unanswered: sent.length - replies.length,
        ackP99Ms: percentile(acks, 99),
        replyP50Ms: percentile(replies, 50),
        replyP99Ms: percentile(replies, 99),
      };
    },
  };
}

/** Reads the emulator's call log: script results and the bot's replies to whoami, by DM channel. */
class CallReader {
  constructor(emulator) {
    this.emulator = emulator;
  }

  mark() {
    return this.emulator.calls.length;
  }

  finishedSince(from) {
    const channels = new Set();
    const calls = this.emulator.calls;
    for (let i = from; i < calls.length; i++) {
      const call = calls[i];
      if (!/^(chat\.postMessage|chat\.update)$/.test(call.method)) continue;
      if (JSON.stringify(call.args).includes('stream finished')) channels.add(call.args.channel);
    }
    return channels.size;
  }

  /** Replies (bot posts in a talker's DM) matched in order to the whoamis sent there. */
  replyLatencies(from, sent) {
    const byChannel = new Map();
    for (const entry of sent) {
      if (!byChannel.has(entry.channel)) byChannel.set(entry.channel, []);
      byChannel.get(entry.channel).push(entry);
    }
    const latencies = [];
    const calls = this.emulator.calls;
    for (let i = from; i < calls.length; i++) {
      const call = calls[i];
      if (call.method !== 'chat.postMessage') continue;
      const entry = byChannel.get(call.args.channel)?.shift();
      if (entry) latencies.push(call.at - entry.sentAt);
    }
    return latencies;
  }

  repliesSince(from, sent) {
    return sent.length - this.replyLatencies(from, sent).length;
  }
}
