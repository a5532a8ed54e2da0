import { z } from 'zod';

const duration = z.union([z.string(), z.number()]);

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
    eventLease: duration.default('30s'),
  }),
]);

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
});

const httpSchema = z.strictObject({
  host: z.string().default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65535).default(8080),
});

const approvalSchema = z.strictObject({
  roles: z.array(z.string()).min(1),
  count: z.number().int().positive().default(1),
  ttl: duration.default('15m'),
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
  roles: z.record(z.string(), z.array(z.string())).default({}),
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

/** Which conversation a notification route posts to, per adapter: `{ slack: "#ops", shell: "ops" }`. */
const notificationSchema = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

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
  actions: z.strictObject({ ttl: duration.default('24h') }).prefault({}),
  /** How long a handler may run before it is aborted. */
  timeout: duration.default('5m'),
  /** How long shutdown waits for in-flight handlers. */
  shutdownTimeout: duration.default('10s'),
  notifications: z.record(z.string(), notificationSchema).default({}),
  auth: authSchema.prefault({}),
  plugins: z.record(z.string(), z.unknown()).default({}),
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
