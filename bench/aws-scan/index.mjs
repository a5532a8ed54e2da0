import { fileURLToPath } from 'node:url';
import { summarize } from '../lib/stats.mjs';
import { runWorker } from '../lib/worker.mjs';
import { BUCKETS, expectedPublic, expectedWithoutMfa, LATENCY_MS, USERS } from './estate.mjs';

const worker = (name) => fileURLToPath(new URL(`./${name}`, import.meta.url));

/**
 * `aws s3 public` and `aws iam no-mfa` through the robot against the AWS emulator (50 ms per call),
 * next to the aws-cli script's sequential scan and the per-user ListMFADevices check on the same estate.
 */
export default {
  name: 'aws-scan',
  title: `AWS scan: ${BUCKETS.toLocaleString('en-US')} buckets, ${USERS.toLocaleString('en-US')} users, ${LATENCY_MS} ms per call`,
  async run({ progress }) {
    progress('aws-scan: ours (aws s3 public, aws iam no-mfa)');
    const ours = await runWorker(worker('ours-worker.mjs'));
    progress('aws-scan: baselines (sequential scan, per-user MFA check)');
    const baseline = await runWorker(worker('baseline-worker.mjs'));

    for (const run of ours.s3) {
      if (!/^Public S3 buckets/.test(run.title ?? '')) throw new Error(`unexpected S3 answer: ${run.title}`);
    }
    const foundPublic = Number(/(\d[\d,]*) public/.exec(ours.s3Text)?.[1]?.replace(/,/g, ''));
    const foundNoMfa = Number(
      /([\d,]+) of [\d,]+ users have no MFA/.exec(ours.iamText)?.[1]?.replace(/,/g, ''),
    );
    if (foundPublic !== expectedPublic() || foundNoMfa !== expectedWithoutMfa()) {
      throw new Error(`the robot found ${foundPublic} public buckets and ${foundNoMfa} users without MFA`);
    }

    const s3Seconds = summarize(ours.s3.map((run) => run.wallMs / 1000));
    const s3Calls = summarize(ours.s3.map((run) => run.calls));
    const sequentialSeconds = summarize(baseline.s3.map((run) => run.scaledMs / 1000));
    const sequentialCalls = summarize(baseline.s3.map((run) => run.scaledCalls));
    const iamCalls = summarize(ours.iam.map((run) => run.iamCalls));
    const iamSeconds = summarize(ours.iam.map((run) => run.wallMs / 1000));
    const perUserCalls = summarize([baseline.iam.iamCalls]);
    const perUserSeconds = summarize([baseline.iam.wallMs / 1000]);
    const speedUp = sequentialSeconds.median / s3Seconds.median;
    const row = (measure, value, label, base, ratio) => ({
      benchmark: 'aws-scan',
      case: measure,
      ours: value,
      baseline: { label, summary: base },
      ratio,
    });
    return {
      protocol: { buckets: BUCKETS, users: USERS, latencyMs: LATENCY_MS, sequentialSample: baseline.sample },
      ours,
      baseline,
      rows: [
        row('aws s3 public: wall s (concurrency 16)', s3Seconds, 'sequential', sequentialSeconds, speedUp),
        row(
          'aws s3 public: AWS calls',
          s3Calls,
          'sequential',
          sequentialCalls,
          sequentialCalls.median / s3Calls.median,
        ),
        row(
          'aws iam no-mfa: IAM calls',
          iamCalls,
          'per-user ListMFADevices',
          perUserCalls,
          perUserCalls.median / iamCalls.median,
        ),
        row(
          'aws iam no-mfa: wall s',
          iamSeconds,
          'per-user, 16 at a time',
          perUserSeconds,
          perUserSeconds.median / iamSeconds.median,
        ),
      ],
      bars: [
        {
          benchmark: 'aws-scan',
          bar: 'S3: ≥ 10× faster than sequential (concurrency 16)',
          value: `${speedUp.toFixed(1)}×`,
          met: speedUp >= 10,
        },
        {
          benchmark: 'aws-scan',
          bar: `IAM: < 10 calls for ${USERS.toLocaleString('en-US')} users`,
          value: `${iamCalls.max} calls (worst run)`,
          met: iamCalls.max < 10,
        },
      ],
    };
  },
};
