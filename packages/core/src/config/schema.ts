import { createPrivateKey, createPublicKey } from 'node:crypto';
import { z } from 'zod';
import { awsConnectionShape } from './aws-connection.js';
import { durationSchema, MAX_TIMER_MS } from './duration-schema.js';
import { notificationRouteSchema, principalPatternSchema } from './retired-local-platform.js';

const storeSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('memory') }),
  z.strictObject({ type: z.literal('sqlite'), path: z.string().default('.chatops/state.db') }),
  z.strictObject({
    type: z.literal('redis'),
    /** `redis://[user:password@]host:port/db`. */
    url: z.string().min(1),
    /** Prepended to every key. */
    prefix: z.string().default('chatops:'),
    /** How long a chat event may stay unanswered by a silent replica before another one takes it. */
    eventLease: durationSchema({ max: MAX_TIMER_MS }).prefault('30s'),
  }),
]);

/** True when `pem` is an Ed25519 key of that kind (`\n` escapes allowed, for one-line env values). */
function isEd25519(kind: 'private' | 'public', pem: string): boolean {
  try {
    const text = pem.replace(/\\n/g, '\n');
    const key = kind === 'private' ? createPrivateKey(text) : createPublicKey(text);
    return key.asymmetricKeyType === 'ed25519';
  } catch {
    return false;
  }
}

/** Audit lines and checkpoints as gzip batches in a bucket with S3 Object Lock. */
const s3SinkSchema = z.strictObject({
  type: z.literal('s3'),
  bucket: z.string().min(1),
  prefix: z.string().default('chatops-audit/'),
  ...awsConnectionShape,
  /** Retention of every object written; `false` only for a bucket without Object Lock. */
  objectLock: z.union([
    z.strictObject({
      mode: z.enum(['GOVERNANCE', 'COMPLIANCE']),
      days: z.number().int().positive(),
    }),
    z.literal(false),
  ]),
  maxAttempts: z.number().int().min(1).max(10).default(3),
});

/** Every audit line as JSON Lines POSTed to a collector (Splunk HEC, Loki, Vector, a SIEM webhook). */
const httpSinkSchema = z.strictObject({
  type: z.literal('http'),
  url: z.url(),
  headers: z.record(z.string(), z.string()).default({}),
  timeout: durationSchema({ max: MAX_TIMER_MS }).prefault('10s'),
});

/** JSON lines on standard output, for container log collectors. */
const stdoutSinkSchema = z.strictObject({ type: z.literal('stdout') });

const auditSinkSchema = z.discriminatedUnion('type', [s3SinkSchema, httpSinkSchema, stdoutSinkSchema]);

const auditSchema = z.strictObject({
  /** Turn the audit log off (not recommended outside tests and benchmarks). */
  enabled: z.boolean().default(true),
  path: z.string().default('.chatops/audit.jsonl'),
  /** fsync each batch of lines before the reply is shown. */
  fsync: z.boolean().default(true),
  /** Rotate when the file grows past this many bytes (the hash chain continues in the new file). */
  maxBytes: z
    .number()
    .int()
    .positive()
    .default(50 * 1024 * 1024),
  /** Keys whose values are always redacted, on top of the built-in list. */
  redactKeys: z.array(z.string()).default([]),
  /** Destinations off the host for every line and checkpoint. */
  sinks: z.array(auditSinkSchema).default([]),
  shipping: z
    .strictObject({
      /** Lines per send. */
      batchLines: z.number().int().positive().default(500),
      /** How long a partial batch waits for more lines. */
      batchWait: durationSchema({ max: MAX_TIMER_MS }).prefault('1s'),
      /** Unshipped lines past which a sink counts as full: an alert and a metric (nothing is dropped). */
      backlogLimit: z.number().int().positive().default(100_000),
      /** Longest wait between retries of a failed send. */
      maxRetryDelay: durationSchema({ max: MAX_TIMER_MS }).prefault('30s'),
    })
    .prefault({}),
  /** Signed checkpoints of the chain (Ed25519). */
  checkpoints: z
    .strictObject({
      interval: durationSchema({ max: MAX_TIMER_MS }).prefault('1m'),
      /** Id of the signing key, written into each checkpoint. */
      keyId: z
        .string()
        .regex(/^[\w.-]+$/, 'letters, digits, ".", "_" or "-"')
        .default('k1'),
      /** PEM (PKCS#8) Ed25519 private key, e.g. "${AUDIT_SIGNING_KEY}"; without it no checkpoints. */
      privateKey: z
        .string()
        .refine((pem) => isEd25519('private', pem), 'a PEM (PKCS#8) Ed25519 private key')
        .optional(),
      /** Public keys by key id (PEM), for `audit verify`; several during a key rotation. */
      publicKeys: z
        .record(
          z.string(),
          z.string().refine((pem) => isEd25519('public', pem), 'a PEM Ed25519 public key'),
        )
        .default({}),
    })
    .prefault({}),
  /** Notification route for integrity alerts (a chain moved aside, a sink that is full). */
  alertRoute: z.string().optional(),
});

const httpSchema = z.strictObject({
  host: z.string().default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65535).default(8080),
});

const approvalSchema = z.strictObject({
  roles: z.array(z.string()).min(1),
  count: z.number().int().positive().default(1),
  ttl: durationSchema().prefault('15m'),
});

const ruleSchema = z.strictObject({
  /** Permission glob(s): `aws.s3.*`, `ping.restart`. */
  allow: z.union([z.string(), z.array(z.string())]),
  /** Roles the rule grants to; `*` for everyone. */
  roles: z.array(z.string()).min(1),
  /** Only in these conversations (`#ops`, a channel id, `dm`). */
  channels: z.array(z.string()).optional(),
  /** Only for these argument values: `{ target: [uat, staging] }`. */
  args: z.record(z.string(), z.array(z.union([z.string(), z.number(), z.boolean()]))).optional(),
  approval: approvalSchema.optional(),
});

const rateLimitSchema = z.strictObject({
  /** Requests a principal may burst. */
  burst: z.number().int().positive().default(10),
  /** Sustained requests per minute. */
  perMinute: z.number().positive().default(30),
});

const authSchema = z.strictObject({
  roles: z.record(z.string(), z.array(principalPatternSchema)).default({}),
  rules: z.array(ruleSchema).default([]),
  defaults: z
    .strictObject({
      read: z.enum(['allow', 'deny']).default('allow'),
      write: z.enum(['allow', 'deny']).default('deny'),
    })
    .default({ read: 'allow', write: 'deny' }),
  rateLimit: z.union([rateLimitSchema, z.literal(false)]).default({ burst: 10, perMinute: 30 }),
  /** Approval requests one principal may have waiting at once; the next one is refused. */
  maxPendingApprovals: z.number().int().positive().default(20),
  /** Answer messages from other bots. */
  allowBots: z.boolean().default(false),
});

/** The robot's configuration (adapter blocks such as `slack:` are validated by their adapter). */
export const configSchema = z.looseObject({
  name: z
    .string()
    .regex(/^[\w.-]+$/, 'letters, digits, ".", "_" or "-"')
    .default('opsbot'),
  /** Optional command prefix, e.g. `!`. */
  prefix: z.string().min(1).optional(),
  adapter: z.string().default('shell'),
  /** Names this replica in logs, metrics and audit lines; default: the host name. */
  instance: z.string().min(1).optional(),
  store: storeSchema.default({ type: 'sqlite', path: '.chatops/state.db' }),
  audit: auditSchema.prefault({}),
  http: httpSchema.optional(),
  log: z
    .strictObject({
      level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
    })
    .prefault({}),
  /** HMAC secret for action tokens; generated and kept in the store when absent. */
  secret: z.string().min(16, 'at least 16 characters').optional(),
  actions: z.strictObject({ ttl: durationSchema().prefault('24h') }).prefault({}),
  /** How long a handler may run before it is aborted. */
  timeout: durationSchema({ max: MAX_TIMER_MS }).prefault('5m'),
  /** How long shutdown waits for in-flight handlers. */
  shutdownTimeout: durationSchema({ allowZero: true, max: MAX_TIMER_MS }).prefault('10s'),
  notifications: z.record(z.string(), notificationRouteSchema).default({}),
  auth: authSchema.prefault({}),
  plugins: z.record(z.string(), z.unknown()).default({}),
  /**
   * Hubot scripts to run (`scripts: [{ module: hubot-rules, effect: read }]`); its presence loads
   * `@chatops/hubot-compat`, which validates the block.
   */
  hubot: z.record(z.string(), z.unknown()).optional(),
  shell: z.strictObject({ user: z.string().optional(), channel: z.string().default('shell') }).optional(),
  slack: z.record(z.string(), z.unknown()).optional(),
  mattermost: z.record(z.string(), z.unknown()).optional(),
});

/** Validated robot configuration. */
export type ChatopsConfig = z.output<typeof configSchema>;
/** Configuration as written in a file. */
export type ChatopsConfigInput = z.input<typeof configSchema>;
export type AuthConfig = ChatopsConfig['auth'];
export type AuthRule = AuthConfig['rules'][number];
