import { createTestBot } from '@chatops/core/testing';
import awsPlugin from '@chatops/plugin-aws';
import { startAwsEmulator } from '@chatops/plugin-aws/emulator';
import { workerMain } from '../lib/worker.mjs';
import { LATENCY_MS, seed } from './estate.mjs';

const RUNS = 3;

/** IAM operations among the emulator's counters (`iam:ListUsers`, …). */
const iamCalls = (counts) =>
  Object.entries(counts)
    .filter(([operation]) => operation.startsWith('iam:'))
    .reduce((sum, [, count]) => sum + count, 0);

/**
 * `ours-worker.mjs`: `aws s3 public` and `aws iam no-mfa` through the robot (testing kit, whole
 * pipeline) with the plugin's defaults (concurrency 16), against the emulator with 50 ms per call.
 */
await workerMain(async () => {
  const emulator = await startAwsEmulator({ latencyMs: LATENCY_MS });
  seed(emulator);
  const bot = await createTestBot({
    plugins: [
      [
        awsPlugin,
        {
          region: 'us-east-1',
          endpoint: emulator.endpoint,
          credentials: emulator.credentials,
          concurrency: 16,
        },
      ],
    ],
  });
  const run = async (command) => {
    emulator.resetCallCounts();
    const started = performance.now();
    const replies = await bot.say('alice', command);
    const wallMs = performance.now() - started;
    if (bot.lastResult?.status !== 'ok') throw new Error(`${command}: ${bot.lastResult?.message}`);
    const final = replies.at(-1);
    return {
      wallMs,
      calls: emulator.totalCalls(),
      counts: emulator.callCounts(),
      title: final?.card.title,
      text: final?.text,
    };
  };
  try {
    await run('aws whoami');
    const s3 = [];
    for (let r = 0; r < RUNS; r++) s3.push(await run('aws s3 public'));
    const iam = [];
    for (let r = 0; r < RUNS; r++) {
      const result = await run('aws iam no-mfa');
      iam.push({ ...result, iamCalls: iamCalls(result.counts) });
    }
    return {
      s3: s3.map(({ wallMs, calls, counts, title }) => ({ wallMs, calls, counts, title })),
      s3Text: s3[0].text.slice(0, 400),
      iam: iam.map(({ wallMs, calls, counts, iamCalls: n }) => ({ wallMs, calls, counts, iamCalls: n })),
      iamText: iam[0].text.slice(0, 400),
    };
  } finally {
    await bot.close();
    await emulator.close();
  }
});
