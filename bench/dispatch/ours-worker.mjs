import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { definePlugin } from '@chatops/core';
import { configSchema, MemoryStore, Robot } from '@chatops/core/internal';
import { AuditReceiver } from '@chatops/core/testing';
import { startAwsEmulator } from '@chatops/plugin-aws/emulator';
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

/**
 * The audit sinks of the `sinks` mode: an S3 bucket with Object Lock on the AWS emulator and an HTTP
 * collector, both on 127.0.0.1 in this process, plus signed checkpoints every minute.
 */
async function startSinks() {
  const emulator = await startAwsEmulator();
  emulator.account().addBucket({ name: 'bench-audit', objectLock: true });
  const receiver = await new AuditReceiver().start();
  const { privateKey } = generateKeyPairSync('ed25519');
  const config = {
    checkpoints: { privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() },
    sinks: [
      {
        type: 's3',
        bucket: 'bench-audit',
        region: 'us-east-1',
        endpoint: emulator.endpoint,
        credentials: emulator.credentials,
        objectLock: { mode: 'COMPLIANCE', days: 1 },
      },
      { type: 'http', url: receiver.url },
    ],
  };
  const close = async () => {
    await receiver.stop();
    await emulator.close();
  };
  return { config, receiver, close };
}

/**
 * `ours-worker.mjs <commands> <on|off|sinks>`: our robot, `commands` commands + 100 hear listeners,
 * audit off, on (durable file), or on with sinks (file + S3 + HTTP + checkpoints).
 */
await workerMain(async ([commandsArg, auditArg]) => {
  const commands = Number(commandsArg);
  const durableAudit = auditArg === 'on' || auditArg === 'sinks';
  const sinks = auditArg === 'sinks' ? await startSinks() : undefined;
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
      audit: {
        enabled: durableAudit,
        path: join(workDir, 'audit.jsonl'),
        fsync: true,
        ...sinks?.config,
      },
      auth: {
        roles: { admin: ['shell:alice'], sre: ['shell:*'] },
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
    const log = robot.auditor.log;
    const audit = log?.stats?.();
    if (sinks) {
      // Every line must have reached both sinks, once each, or the measurement does not count.
      await log.shipped();
      const counts = sinks.receiver.seqCounts();
      if (counts.size !== audit.lines || [...counts.values()].some((count) => count !== 1))
        throw new Error(`the HTTP sink got ${counts.size} distinct lines of ${audit.lines}`);
    }
    return { runs, sent, ...(audit ? { auditLines: audit.lines, auditFsyncs: audit.fsyncs } : {}) };
  } finally {
    await robot.stop();
    await sinks?.close();
    await rm(workDir, { recursive: true, force: true });
  }
});
