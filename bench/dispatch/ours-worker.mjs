import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema, definePlugin, MemoryStore, Robot } from '@chatops/core';
import { CountingAdapter } from '../lib/counting-adapter.mjs';
import { robotSender } from '../lib/robot-sender.mjs';
import { workerMain } from '../lib/worker.mjs';
import {
  checkAnswered,
  commandWords,
  HEAR_LISTENERS,
  hearPattern,
  measureDispatch,
  ReplyWaiters,
  replyText,
  workload,
} from './workload.mjs';

/** `ours-worker.mjs <commands> <on|off>`: our robot, `commands` commands + 100 hear listeners, audit on/off. */
await workerMain(async ([commandsArg, auditArg]) => {
  const commands = Number(commandsArg);
  const durableAudit = auditArg === 'on';
  const workDir = await mkdtemp(join(tmpdir(), 'chatops-bench-'));
  const waiters = new ReplyWaiters();
  const failures = [];
  const adapter = new CountingAdapter({ onSend: (message) => waiters.arrived(message.conversation.id) });

  const plugin = definePlugin({
    name: 'bench',
    setup(bot) {
      for (let i = 0; i < commands; i++) {
        bot.command({
          name: commandWords(i),
          args: '<env>',
          effect: 'read',
          summary: `Status of svc${i}`,
          run: (ctx) => ({ title: `svc${i} status`, status: 'ok', text: replyText(i, ctx.args.env) }),
        });
      }
      for (let j = 0; j < HEAR_LISTENERS; j++) {
        bot.hear(hearPattern(j), {
          effect: 'read',
          run: (ctx) => ({ text: `incident ${j}: ${ctx.invocation.match?.[1]}` }),
        });
      }
    },
  });

  const robot = new Robot({
    config: configSchema.parse({
      name: 'opsbot',
      store: { type: 'memory' },
      log: { level: 'silent' },
      audit: { enabled: durableAudit, path: join(workDir, 'audit.jsonl'), fsync: true },
      auth: {
        roles: { admin: ['local:alice'], sre: ['local:*'] },
        rules: [{ allow: 'bench.*', roles: ['sre'] }],
        // The limiter still runs on every message; the bucket is just large enough for a benchmark.
        rateLimit: { burst: 1e9, perMinute: 1e9 },
      },
    }),
    configDir: workDir,
    adapter: adapter.module(),
    plugins: [plugin],
    store: new MemoryStore(),
  });
  await robot.start({ scheduler: false });

  const send = robotSender({ adapter, waiters, failures });

  try {
    const { runs, sent } = await measureDispatch(send, workload(commands));
    checkAnswered({ sent, replies: adapter.sent, failures });
    // The log is private to the robot; its counters show how many lines shared each fsync.
    const audit = robot.auditor.log?.stats?.();
    return { runs, sent, ...(audit ? { auditLines: audit.lines, auditFsyncs: audit.fsyncs } : {}) };
  } finally {
    await robot.stop();
    await rm(workDir, { recursive: true, force: true });
  }
});
