import { percentile } from '../lib/stats.mjs';

/** Hubot-style `hear` listeners registered on both sides, none of which matches a command line. */
export const HEAR_LISTENERS = 100;
const ENVIRONMENTS = ['dev', 'uat', 'staging', 'prod'];

/** The i-th command, as words: `svc17 status <env>`. */
export const commandWords = (i) => `svc${i} status`;
/** The j-th hear listener's pattern. */
export const hearPattern = (j) => new RegExp(`\\bincident-${j}\\b (\\w+)`, 'i');
/** The reply text both sides produce for a command. */
export const replyText = (i, env) => `svc${i} is healthy in ${env}`;

/**
 * The command lines of a run: `count` uniformly random commands out of `commands`, with a random
 * environment, from a fixed seed so every side gets the same sequence.
 */
export function workload(commands, count = 8192, seed = 42) {
  let state = seed >>> 0;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return Array.from({ length: count }, () => ({
    index: Math.floor(random() * commands),
    env: ENVIRONMENTS[Math.floor(random() * ENVIRONMENTS.length)],
  }));
}

/**
 * A closed loop: `concurrency` users each send a command, wait for its reply, then send the next,
 * until `durationMs` has passed. `send(item, user)` returns `{ replied, done }`: when the reply reached
 * the adapter (a time, from `performance.now()`) and when the robot finished with the message (work
 * after the reply, such as the audit outcome line, runs on while the user sends the next command).
 * Latency is sent → reply; throughput counts replies over the time until every message is done.
 */
export async function closedLoop({ send, items, concurrency, durationMs }) {
  const latencies = [];
  const unfinished = new Set();
  let next = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  const user = async (id) => {
    while (performance.now() < deadline) {
      const item = items[next++ % items.length];
      const sentAt = performance.now();
      const { replied, done } = send(item, id);
      unfinished.add(done);
      done.then(() => unfinished.delete(done));
      latencies.push((await replied) - sentAt);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, id) => user(id)));
  await Promise.all(unfinished);
  const elapsedMs = performance.now() - started;
  return {
    completed: latencies.length,
    perSecond: latencies.length / (elapsedMs / 1000),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

/** Settings of one dispatch measurement. */
export const PROTOCOL = {
  concurrency: 32,
  warmupMs: 1000,
  repetitions: 5,
  throughputMs: 500,
  latencyMs: 250,
};

/**
 * Warm-up, then repeated pairs of phases: throughput with `concurrency` users, latency with one user
 * (the unloaded cost of one command). Returns one entry per repetition and the number of commands sent.
 */
export async function measureDispatch(send, items, protocol = PROTOCOL) {
  const warmup = await closedLoop({
    send,
    items,
    concurrency: protocol.concurrency,
    durationMs: protocol.warmupMs,
  });
  let sent = warmup.completed;
  const runs = [];
  for (let r = 0; r < protocol.repetitions; r++) {
    const loaded = await closedLoop({
      send,
      items,
      concurrency: protocol.concurrency,
      durationMs: protocol.throughputMs,
    });
    const single = await closedLoop({ send, items, concurrency: 1, durationMs: protocol.latencyMs });
    sent += loaded.completed + single.completed;
    runs.push({
      perSecond: loaded.perSecond,
      loadedP50: loaded.p50,
      loadedP99: loaded.p99,
      p50: single.p50,
      p99: single.p99,
    });
  }
  return { runs, sent };
}

/** Throws unless every command got exactly one reply. */
export function checkAnswered({ sent, replies, failures = [] }) {
  if (failures.length > 0) throw new Error(`${failures.length} commands failed, e.g. ${failures[0]}`);
  if (replies !== sent) throw new Error(`${sent} commands sent but ${replies} replies`);
}

/** Replies by room: `expect(room)` resolves with the time the next reply to `room` arrives. */
export class ReplyWaiters {
  #waiting = new Map();
  replies = 0;

  expect(room) {
    return new Promise((resolve) => this.#waiting.set(room, resolve));
  }

  arrived(room) {
    const at = performance.now();
    this.replies += 1;
    const resolve = this.#waiting.get(room);
    this.#waiting.delete(room);
    resolve?.(at);
  }
}
