/**
 * @chatops/plugin-aws: finds public S3 buckets and IAM users without MFA, and fixes them from chat
 * (Block public access, Notify), across accounts reached through STS AssumeRole.
 */
import { definePlugin } from '@chatops/core';
import { Accounts } from './accounts.js';
import { type AwsConfig, awsConfigSchema } from './config.js';
import { registerIam } from './iam/commands.js';
import type { NoMfaRecord } from './iam/no-mfa-card.js';
import { registerMonitor } from './monitor.js';
import { registerS3 } from './s3/commands.js';
import type { S3ScanRecord } from './s3/public-card.js';
import { ScanStore } from './scan-store.js';
import { registerWhoami } from './whoami.js';

/** How long a listing stays usable by its buttons. */
const RECORD_TTL_MS = 7 * 86_400_000;

/** The `aws` plugin: `aws whoami`, `aws s3 public`, `aws s3 block`, `aws iam no-mfa`, buttons and the monitor. */
const plugin = definePlugin<AwsConfig>({
  name: 'aws',
  config: awsConfigSchema,
  setup(bot, config) {
    const accounts = new Accounts(config);
    const scans = new ScanStore<S3ScanRecord>(bot.store, 's3:scan:', RECORD_TTL_MS);
    const lists = new ScanStore<NoMfaRecord>(bot.store, 'iam:list:', RECORD_TTL_MS);
    registerWhoami(bot, accounts);
    registerS3({ bot, accounts, config, scans });
    registerIam({ bot, accounts, config, lists });
    registerMonitor({ bot, accounts, config, scans, lists });
    return () => accounts.destroy();
  },
});

export default plugin;
export { type AwsConfig, type AwsConfigInput, awsConfigSchema } from './config.js';
export type { MfaFinding, NoMfaResult } from './iam/no-mfa.js';
export type { BucketFinding, S3ScanResult } from './s3/scan.js';
export type { BucketStatus, BucketVerdict } from './s3/verdict.js';
