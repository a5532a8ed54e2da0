import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SlackEmulator } from '@chatops/adapter-slack/emulator';
import { probeArgs, probeClient } from '../lib/probe-client.mjs';
import { startRobot, waitFor, writeConfig } from '../lib/robot-process.mjs';
import { percentile, summarize } from '../lib/stats.mjs';

const ENVELOPES = 5000;
const RUNS = 5;
const WARMUP = 500;
const USERS = 1000;
/** Envelopes sent per turn of the emulator's event loop, so it can read acks in between. */
const BATCH = 50;
const SLOW_PLUGIN = fileURLToPath(new URL('./slow-plugin.mjs', import.meta.url));

/**
 * The real CLI (`chatops start`, Slack adapter in Socket Mode, file store, durable audit log) against
 * the Slack emulator in this process. The emulator pushes DMs `slow <id>` from 1,000 users as fast as
 * it can; each handler takes 200 ms. Measured by the emulator: envelope sent → ack received.
 */
export default {
  name: 'slack-ack',
  title: `Slack ack latency: ${ENVELOPES.toLocaleString('en-US')} envelopes, 200 ms handlers`,
  async run({ progress }) {
    const emulator = await SlackEmulator.start({ echoBotMessages: false });
    for (let k = 0; k < USERS; k++) emulator.addUser({ name: `user${k}`, email: `user${k}@example.com` });
    const dir = await mkdtemp(join(tmpdir(), 'chatops-bench-slack-'));
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
      // 1,000 users each send a few commands a second here; the limiter runs, with room for that.
      auth: { rateLimit: { burst: 1000, perMinute: 100_000 } },
      plugins: { [SLOW_PLUGIN]: {} },
    });
    const probe = probeClient();
    const robot = startRobot(configPath, { nodeArgs: probeArgs(), onStderr: (chunk) => probe.read(chunk) });
    const replies = new ReplyCounter(emulator);
    let injected = 0;
    try {
      await waitFor(
        () => emulator.socket.connectionCount > 0 || robot.child.exitCode !== null,
        'the robot to connect to Socket Mode',
        { timeoutMs: 30_000 },
      );
      if (robot.child.exitCode !== null) throw new Error(`the robot exited:\n${robot.output()}`);

      progress(`slack-ack: warm-up, ${WARMUP} envelopes`);
      await push(emulator, replies, WARMUP, 'w');
      injected += WARMUP;
      const runs = [];
      for (let r = 1; r <= RUNS; r++) {
        progress(`slack-ack: run ${r}/${RUNS}, ${ENVELOPES} envelopes`);
        await probe.ask(robot.child);
        const own = loopSampler();
        const run = await push(emulator, replies, ENVELOPES, `r${r}`);
        const robotLoop = delayStats((await probe.ask(robot.child)).delays);
        const emulatorLoop = delayStats(own.stop());
        runs.push({
          ...run,
          robotLoopP99Ms: robotLoop.p99Ms,
          robotLoopMaxMs: robotLoop.maxMs,
          emulatorLoopP99Ms: emulatorLoop.p99Ms,
          emulatorLoopMaxMs: emulatorLoop.maxMs,
        });
        injected += ENVELOPES;
      }
      await robot.stop();
      const redelivered = emulator.socket.sent - injected;
      const answers = replies.check(injected);
      const summary = {
        p50Ms: summarize(runs.map((run) => run.p50Ms)),
        p99Ms: summarize(runs.map((run) => run.p99Ms)),
        maxMs: summarize(runs.map((run) => run.maxMs)),
        pushedPerSecond: summarize(runs.map((run) => run.pushedPerSecond)),
        allAnsweredMs: summarize(runs.map((run) => run.allAnsweredMs)),
        robotLoopMaxMs: summarize(runs.map((run) => run.robotLoopMaxMs)),
        emulatorLoopMaxMs: summarize(runs.map((run) => run.emulatorLoopMaxMs)),
      };
      const row = (measure, key) => ({ benchmark: 'slack-ack', case: measure, ours: summary[key] });
      return {
        protocol: {
          envelopes: ENVELOPES,
          runs: RUNS,
          warmup: WARMUP,
          users: USERS,
          batch: BATCH,
          handlerMs: 200,
        },
        runs,
        summary,
        redelivered,
        answers,
        rows: [
          row('ack latency p50 ms (sent → ack)', 'p50Ms'),
          row('ack latency p99 ms', 'p99Ms'),
          row('ack latency max ms', 'maxMs'),
          row('envelopes pushed per second', 'pushedPerSecond'),
          row(`ms until all ${ENVELOPES.toLocaleString('en-US')} answered`, 'allAnsweredMs'),
          row('robot event-loop delay max ms, during the run', 'robotLoopMaxMs'),
          row('emulator (measuring side) event-loop delay max ms', 'emulatorLoopMaxMs'),
          {
            benchmark: 'slack-ack',
            case: 'redelivered / unanswered / answered twice',
            ours: `${redelivered} / ${answers.missing} / ${answers.duplicated}`,
          },
        ],
        bars: [
          {
            benchmark: 'slack-ack',
            bar: 'ack p99 < 100 ms (median of runs)',
            value: `${summary.p99Ms.median.toFixed(1)} ms`,
            met: summary.p99Ms.median < 100,
          },
          {
            benchmark: 'slack-ack',
            bar: 'no envelope redelivered, every command answered once',
            value: `${redelivered} redelivered, ${answers.missing} unanswered, ${answers.duplicated} twice`,
            met: redelivered === 0 && answers.missing === 0 && answers.duplicated === 0,
          },
        ],
      };
    } catch (error) {
      error.message += `\nrobot output:\n${robot.output()}`;
      throw error;
    } finally {
      await robot.stop();
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
    }
  },
};

/** Pushes `count` DMs as fast as the emulator can, waits for every ack and every reply. */
async function push(emulator, replies, count, tag) {
  const latencies = new Float64Array(count);
  const outcomes = [];
  let notFirstAttempt = 0;
  const started = performance.now();
  for (let i = 0; i < count; ) {
    for (const end = Math.min(count, i + BATCH); i < end; i++) {
      const sentAt = performance.now();
      const index = i;
      const injection = emulator.directMessage({ user: `user${i % USERS}`, text: `slow ${tag}-${i}` });
      outcomes.push(
        injection.deliveries[0].outcome.then((outcome) => {
          latencies[index] = performance.now() - sentAt;
          if (!outcome.acked || outcome.attempt !== 0) notFirstAttempt += 1;
        }),
      );
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  const pushedMs = performance.now() - started;
  await Promise.all(outcomes);
  await waitFor(() => replies.count(tag) >= count, `${count} replies to run ${tag}`, {
    timeoutMs: 120_000,
    everyMs: 50,
  });
  const values = [...latencies];
  return {
    p50Ms: percentile(values, 50),
    p99Ms: percentile(values, 99),
    maxMs: Math.max(...values),
    pushedPerSecond: count / (pushedMs / 1000),
    allAnsweredMs: performance.now() - started,
    notFirstAttempt,
  };
}

/** Samples this process's event loop every 10 ms (as the probe does) until `stop()`. */
function loopSampler() {
  const delays = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    delays.push(Math.max(0, now - last - 10));
    last = now;
  }, 10);
  return {
    stop() {
      clearInterval(timer);
      return delays;
    },
  };
}

function delayStats(delays) {
  return { p99Ms: percentile(delays, 99), maxMs: delays.length ? Math.max(...delays) : Number.NaN };
}

/** Counts the bot's `done <id>` replies by reading the emulator's call log as it grows. */
class ReplyCounter {
  #seen = 0;
  #byId = new Map();
  #byTag = new Map();

  constructor(emulator) {
    this.emulator = emulator;
  }

  #scan() {
    const calls = this.emulator.calls;
    for (; this.#seen < calls.length; this.#seen++) {
      const call = calls[this.#seen];
      if (call.method !== 'chat.postMessage') continue;
      const id = /done (\w+)-(\d+)/.exec(String(call.args.text ?? ''));
      if (!id) continue;
      this.#byId.set(id[0], (this.#byId.get(id[0]) ?? 0) + 1);
      this.#byTag.set(id[1], (this.#byTag.get(id[1]) ?? 0) + 1);
    }
  }

  count(tag) {
    this.#scan();
    return this.#byTag.get(tag) ?? 0;
  }

  /** How many of the `expected` commands got no reply, and how many got more than one. */
  check(expected) {
    this.#scan();
    let duplicated = 0;
    for (const times of this.#byId.values()) if (times > 1) duplicated += 1;
    return { missing: expected - this.#byId.size, duplicated };
  }
}
