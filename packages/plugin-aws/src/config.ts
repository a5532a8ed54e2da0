import { type AwsCredentials, awsConnectionShape, durationSchema, MAX_TIMER_MS } from '@chatops/core';
import { z } from 'zod';

/** Timeouts and intervals here are timers: at most about 24 days. */
const duration = durationSchema({ max: MAX_TIMER_MS });

/** Connection settings an account may set and the top level provides defaults for. */
const connection = {
  /** Region (for STS, IAM signing and buckets whose region is unknown), endpoint, profile, keys. */
  ...awsConnectionShape,
  /** Parallel S3 calls per scan. */
  concurrency: z.number().int().min(1).max(128).optional(),
};

const accountSchema = z.strictObject({
  ...connection,
  /** Role assumed through STS for this account. */
  roleArn: z
    .string()
    .regex(
      /^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/,
      'an IAM role ARN (arn:aws:iam::123456789012:role/name)',
    )
    .optional(),
  externalId: z.string().min(2).optional(),
  sessionName: z
    .string()
    .regex(/^[\w+=,.@-]{2,64}$/)
    .default('chatops'),
});

/** The plugin's configuration (`plugins: { "@chatops/plugin-aws": { … } }`). */
export const awsConfigSchema = z
  .strictObject({
    ...connection,
    /** Named accounts; without any, one account named `default` uses the settings above. */
    accounts: z
      .record(z.string().regex(/^[\w.-]+$/, 'letters, digits, ".", "_" or "-"'), accountSchema)
      .default({}),
    /** Account used when `--account` is not given (default: the first one). */
    defaultAccount: z.string().optional(),
    retry: z
      .strictObject({
        /** Attempts per call, first one included (the SDK backs off between them). */
        maxAttempts: z.number().int().min(1).max(10).default(3),
        /** `adaptive` adds the SDK's client-side rate limiter, kind to IAM's low shared quota. */
        mode: z.enum(['standard', 'adaptive']).default('standard'),
      })
      .prefault({}),
    s3: z
      .strictObject({
        /** Rows in the result table; the full list comes as a file beyond that. */
        tableRows: z.number().int().min(1).max(100).default(15),
        /** Per-bucket "Block public access" buttons on one message. */
        buttons: z.number().int().min(0).max(20).default(5),
        /** Show a progress message for accounts with at least this many buckets. */
        progressAfter: z.number().int().min(0).default(100),
        /** Minimum time between progress updates. */
        progressInterval: durationSchema({ allowZero: true, max: MAX_TIMER_MS }).prefault('2s'),
      })
      .prefault({}),
    iam: z
      .strictObject({
        /** Give up waiting for the credential report after this long. */
        reportTimeout: duration.prefault('2m'),
        /** First wait between report polls; doubles up to 8× this. */
        reportPollInterval: duration.prefault('1s'),
        /** Use ListUsers + per-user calls when the credential report is not permitted. */
        fallback: z.boolean().default(true),
        /** Parallel IAM calls (IAM's rate quota is low and shared by the account). */
        concurrency: z.number().int().min(1).max(16).default(4),
        tableRows: z.number().int().min(1).max(100).default(15),
        buttons: z.number().int().min(0).max(20).default(5),
      })
      .prefault({}),
    notify: z
      .strictObject({
        /** `dm`: message the person directly; `route`: post to the `route` notification route. */
        via: z.enum(['dm', 'route']).default('dm'),
        /** Notification route (`notifications:` in the robot config) for `via: route` and unmapped users. */
        route: z.string().optional(),
        /** IAM user name → chat handle (`alice: "@alice.smith"`, `bob: "U0123"`). */
        users: z.record(z.string(), z.string().min(1)).default({}),
        /** IAM user tags holding the person's email, tried in order. */
        tagKeys: z.array(z.string().min(1)).default(['email', 'Email', 'mail']),
        /** Do not notify the same user again within this period. */
        cooldown: durationSchema().prefault('7d'),
      })
      .prefault({}),
    /** Scheduled scans posting what is new since the last one. */
    monitor: z
      .strictObject({
        every: z.string().min(1),
        /** Notification route to post to. */
        notify: z.string().min(1),
        checks: z
          .array(z.enum(['s3', 'iam']))
          .min(1)
          .default(['s3', 'iam']),
        /** Accounts to scan (default: all). */
        accounts: z.array(z.string()).optional(),
      })
      .optional(),
  })
  .superRefine((config, issues) => {
    const names = Object.keys(config.accounts);
    const known = names.length ? names : ['default'];
    const check = (name: string, path: (string | number)[]) => {
      if (!known.includes(name)) {
        issues.addIssue({
          code: 'custom',
          path,
          message: `no account "${name}" (accounts: ${known.join(', ')})`,
        });
      }
    };
    if (config.defaultAccount) check(config.defaultAccount, ['defaultAccount']);
    for (const [index, name] of (config.monitor?.accounts ?? []).entries())
      check(name, ['monitor', 'accounts', index]);
    if (config.notify.via === 'route' && !config.notify.route) {
      issues.addIssue({
        code: 'custom',
        path: ['notify', 'route'],
        message: 'required when notify.via is "route"',
      });
    }
  });

/** Validated plugin configuration. */
export type AwsConfig = z.output<typeof awsConfigSchema>;
/** Plugin configuration as written. */
export type AwsConfigInput = z.input<typeof awsConfigSchema>;
type AccountConfig = z.output<typeof accountSchema>;

/** One account with the top-level defaults applied. */
export interface ResolvedAccount {
  name: string;
  region: string;
  endpoint?: string;
  forcePathStyle: boolean;
  profile?: string;
  credentials?: AwsCredentials;
  concurrency: number;
  roleArn?: string;
  externalId?: string;
  sessionName: string;
}

/** The configured accounts, defaults applied; `default` when none are configured. */
export function resolveAccounts(config: AwsConfig): ResolvedAccount[] {
  const entries: [string, Partial<AccountConfig>][] = Object.entries(config.accounts);
  if (entries.length === 0) entries.push(['default', {}]);
  return entries.map(([name, account]) => {
    const endpoint = account.endpoint ?? config.endpoint;
    const resolved: ResolvedAccount = {
      name,
      region: account.region ?? config.region ?? 'us-east-1',
      forcePathStyle: account.forcePathStyle ?? config.forcePathStyle ?? Boolean(endpoint),
      concurrency: account.concurrency ?? config.concurrency ?? 16,
      sessionName: account.sessionName ?? 'chatops',
    };
    if (endpoint) resolved.endpoint = endpoint;
    const profile = account.profile ?? config.profile;
    if (profile) resolved.profile = profile;
    const credentials = account.credentials ?? config.credentials;
    if (credentials) resolved.credentials = credentials;
    if (account.roleArn) resolved.roleArn = account.roleArn;
    if (account.externalId) resolved.externalId = account.externalId;
    return resolved;
  });
}
