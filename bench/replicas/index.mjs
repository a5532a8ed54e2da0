import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SlackEmulator } from '@chatops/adapter-slack/emulator';
import { RedisStore } from '@chatops/core/internal';
import { RedisServer } from '@chatops/core/testing';
import { machineCpuSeconds, processCpuSeconds } from '../lib/cpu-time.mjs';
import { startRobot, waitFor, writeConfig } from '../lib/robot-process.mjs';
import { percentile, summarizeRuns } from '../lib/stats.mjs';

const USERS = 32;
const COMMANDS = 2000;
const WARMUP = 300;
const RUNS = 3;
const ECHO_PLUGIN = fileURLToPath(new URL('./echo-plugin.mjs', import.meta.url));

/**
 * One replica against three, each a `chatops start` process on the Slack adapter (its own Socket Mode
 * connection to the emulator in this process) sharing one real redis-server. A closed loop of 32
 * users: each sends a DM `echo <id>`, waits for `done <id>`, sends the next. Measured: replies per
 * second over the run and the reply latency (DM injected → reply posted) p99. Every command must be
 * answered exactly once. To show what limits the rate, each run also records the CPU time per
 * command of each side (this process: the emulator and the users; the replicas; redis-server), the
 * CPU time the whole machine spent meanwhile (other work on it included), and the Redis commands
 * per chat command.
 */
export default {
  name: 'replicas',
  title: `Replicas on Redis: 1 vs 3, closed loop of ${USERS} users`,
  async run({ progress }) {
    const results = {};
    for (const replicas of [1, 3]) results[replicas] = await measure(replicas, progress);
    const row = (measure, key, better) => ({
      benchmark: 'replicas',
      case: measure,
      ours: results[3][key],
      baseline: { label: '1 replica', summary: results[1][key] },
      ratio:
        better === 'higher'
          ? results[3][key].median / results[1][key].median
          : results[1][key].median / results[3][key].median,
    });
    return {
      protocol: { users: USERS, commands: COMMANDS, warmup: WARMUP, runs: RUNS },
      results,
      rows: [
        row('3 replicas: commands/s (closed loop of 32)', 'perSecond', 'higher'),
        row('3 replicas: reply p99 ms', 'p99Ms', 'lower'),
        row('3 replicas: reply p50 ms', 'p50Ms', 'lower'),
        ...[
          ['CPU ms per command, emulator and users (this process)', 'loadCpuMs'],
          ['CPU ms per command, all replicas', 'replicasCpuMs'],
          ['CPU ms per command, redis-server', 'redisCpuMs'],
          ['CPU ms per command, whole machine (2 cores: 2,000 ms/s)', 'machineCpuMs'],
          ['Redis commands per chat command', 'redisCommands'],
        ].map(([name, key]) => ({
          benchmark: 'replicas',
          case: name,
          ours: results[3][key],
          baseline: { label: '1 replica', summary: results[1][key] },
        })),
        {
          benchmark: 'replicas',
          case: 'unanswered / answered twice (all runs, 1 and 3 replicas)',
          ours: `${results[1].missing + results[3].missing} / ${results[1].duplicated + results[3].duplicated}`,
        },
      ],
      bars: [
        {
          benchmark: 'replicas',
          bar: 'every command answered exactly once, on 1 and on 3 replicas',
          value: `${results[1].missing + results[3].missing} unanswered, ${results[1].duplicated + results[3].duplicated} twice`,
          met: results[1].missing + results[3].missing + results[1].duplicated + results[3].duplicated === 0,
        },
      ],
    };
  },
};

async function measure(count, progress) {
  const redis = await RedisServer.start();
  const emulator = await SlackEmulator.start({ echoBotMessages: false });
  for (let k = 0; k < USERS; k++) emulator.addUser({ name: `user${k}`, email: `user${k}@example.com` });
  const dir = await mkdtemp(join(tmpdir(), 'chatops-bench-replicas-'));
  const robots = [];
  const replies = new Replies(emulator);
  try {
    for (let index = 0; index < count; index++) {
      const replicaDir = join(dir, `replica-${index}`);
      await mkdir(replicaDir);
      const configPath = await writeConfig(replicaDir, {
        name: 'opsbot',
        instance: `bench-${index}`,
        adapter: 'slack',
        slack: {
          mode: 'socket',
          botToken: emulator.tokens.bot,
          appToken: emulator.tokens.app,
          apiUrl: emulator.apiUrl,
          postInterval: '1ms',
        },
        store: { type: 'redis', url: redis.url },
        audit: { path: join(dir, `audit-${index}.jsonl`) },
        log: { level: 'warn' },
        auth: { rateLimit: { burst: 1_000_000, perMinute: 10_000_000 } },
        plugins: { [ECHO_PLUGIN]: {} },
      });
      robots.push(startRobot(configPath));
      await waitFor(
        () => emulator.socket.connectionCount > index || robots[index].child.exitCode !== null,
        `replica ${index + 1} to connect`,
        { timeoutMs: 30_000 },
      );
      if (robots[index].child.exitCode !== null)
        throw new Error(`replica exited:\n${robots[index].output()}`);
    }
    progress(`replicas: ${count} replica(s), warm-up ${WARMUP}`);
    await closedLoop(emulator, replies, WARMUP, 'w');
    const costs = await costMeter(redis, robots);
    const runs = [];
    for (let run = 1; run <= RUNS; run++) {
      progress(`replicas: ${count} replica(s), run ${run}/${RUNS}, ${COMMANDS} commands`);
      const before = await costs.read();
      const result = await closedLoop(emulator, replies, COMMANDS, `r${run}`);
      const after = await costs.read();
      const perCommand = (key, scale = 1000) => ((after[key] - before[key]) * scale) / COMMANDS;
      runs.push({
        ...result,
        loadCpuMs: perCommand('load'),
        replicasCpuMs: perCommand('replicas'),
        redisCpuMs: perCommand('redis'),
        machineCpuMs: perCommand('machine'),
        redisCommands: perCommand('redisCommands', 1),
      });
    }
    await costs.close();
    await Promise.all(robots.map((robot) => robot.stop()));
    const { missing, duplicated } = replies.check();
    return { missing, duplicated, ...summarizeRuns(runs) };
  } finally {
    await Promise.all(robots.map((robot) => robot.stop()));
    replies.close();
    await emulator.close();
    await redis.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Reads the CPU seconds used so far by each side, and the commands Redis has processed. */
async function costMeter(redis, robots) {
  const store = await RedisStore.open({ url: redis.url, prefix: 'bench-meter:' });
  const info = async () => String(await store.redis.info());
  const field = (text, name) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(text)?.[1]);
  const redisPid = field(await info(), 'process_id');
  return {
    async read() {
      const cpu = process.cpuUsage();
      const text = await info();
      return {
        load: (cpu.user + cpu.system) / 1e6,
        replicas: robots.reduce((sum, robot) => sum + processCpuSeconds(robot.child.pid), 0),
        redis: processCpuSeconds(redisPid),
        machine: machineCpuSeconds(),
        redisCommands: field(text, 'total_commands_processed'),
      };
    },
    close: () => store.close(),
  };
}

/** 32 users, each with one command outstanding, until `total` commands were answered. */
async function closedLoop(emulator, replies, total, tag) {
  const latencies = [];
  let next = 0;
  const started = performance.now();
  const user = async (k) => {
    while (next < total) {
      const id = `${tag}-${next++}`;
      const sentAt = performance.now();
      const answered = replies.expect(id);
      emulator.directMessage({ user: `user${k}`, text: `echo ${id}` });
      await answered;
      latencies.push(performance.now() - sentAt);
    }
  };
  await Promise.all(Array.from({ length: USERS }, (_, k) => user(k)));
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: total / seconds, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
}

/** Watches the emulator's call log for `done <id>` replies; resolves the waiter of each id. */
class Replies {
  #seen = 0;
  #times = new Map();
  #waiters = new Map();
  #expected = 0;

  constructor(emulator) {
    this.emulator = emulator;
    this.timer = setInterval(() => this.#scan(), 1);
  }

  expect(id) {
    this.#expected += 1;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply to echo ${id} in 30 s`)), 30_000);
      this.#waiters.set(id, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  #scan() {
    const calls = this.emulator.calls;
    for (; this.#seen < calls.length; this.#seen++) {
      const call = calls[this.#seen];
      if (call.method !== 'chat.postMessage') continue;
      const match = /done (\S+)/.exec(String(call.args.text ?? ''));
      if (!match) continue;
      this.#times.set(match[1], (this.#times.get(match[1]) ?? 0) + 1);
      const waiter = this.#waiters.get(match[1]);
      this.#waiters.delete(match[1]);
      waiter?.();
    }
  }

  /** Commands without a reply, and commands answered more than once. */
  check() {
    this.#scan();
    let duplicated = 0;
    for (const times of this.#times.values()) if (times > 1) duplicated += 1;
    return { missing: this.#expected - this.#times.size, duplicated };
  }

  close() {
    clearInterval(this.timer);
  }
}
