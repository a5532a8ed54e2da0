import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configSchema, MemoryStore, Robot } from '@chatops/core/internal';
import { checkAnswered, measureDispatch, ReplyWaiters, workload } from '../dispatch/workload.mjs';
import { CountingAdapter } from '../lib/counting-adapter.mjs';
import { robotSender } from '../lib/robot-sender.mjs';
import { workerMain } from '../lib/worker.mjs';
import { SCRIPTS, writeScripts } from './scripts.mjs';

/** This package's folder: `@chatops/hubot-compat`, named by the `hubot:` block, resolves from here. */
const benchDir = fileURLToPath(new URL('..', import.meta.url));

/**
 * `compat-worker.mjs <literal|group> <on|off>`: our robot loads the same 1,000 script files through a
 * `hubot:` block (effect read), with the durable audit log on or off.
 */
await workerMain(async ([style, auditArg]) => {
  const workDir = await mkdtemp(join(tmpdir(), 'chatops-compat-bench-'));
  const scriptsDir = join(workDir, 'scripts');
  const waiters = new ReplyWaiters();
  const failures = [];
  const adapter = new CountingAdapter({ onSend: (message) => waiters.arrived(message.conversation.id) });
  await writeScripts(scriptsDir, SCRIPTS, style);
  const robot = new Robot({
    config: configSchema.parse({
      name: 'opsbot',
      store: { type: 'memory' },
      log: { level: 'silent' },
      audit: { enabled: auditArg === 'on', path: join(workDir, 'audit.jsonl'), fsync: true },
      auth: { rateLimit: { burst: 1e9, perMinute: 1e9 } },
      hubot: { scripts: [{ path: scriptsDir, effect: 'read' }] },
    }),
    configDir: benchDir,
    adapter: adapter.module(),
    store: new MemoryStore(),
  });
  await robot.start({ scheduler: false });
  try {
    const stats = robot.router.listeners.stats;
    if (stats.indexed + stats.scanned !== SCRIPTS)
      throw new Error(`loaded ${stats.indexed + stats.scanned} listeners`);
    const send = robotSender({ adapter, waiters, failures });
    const { runs, sent } = await measureDispatch(send, workload(SCRIPTS));
    checkAnswered({ sent, replies: adapter.sent, failures });
    return { runs, sent, indexed: stats.indexed, scanned: stats.scanned };
  } finally {
    await robot.stop();
    await rm(workDir, { recursive: true, force: true });
  }
});
