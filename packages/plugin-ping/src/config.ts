import { durationSchema, MAX_TIMER_MS } from '@chatops/core';
import { z } from 'zod';

/** Timeouts and intervals here are timers: at most about 24 days. */
const duration = durationSchema({ max: MAX_TIMER_MS });

const targetName = z
  .string()
  .regex(/^[A-Za-z0-9][\w.-]*$/, 'letters, digits, ".", "_" or "-", starting with a letter or digit');

const httpUrl = z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' });

const headers = z.record(z.string(), z.string());

const tls = z.strictObject({
  /** Verify the certificate chain and host name. */
  verify: z.boolean().default(true),
  /** Extra trusted CA: a PEM file path (relative to the config file) or the PEM text itself. */
  ca: z.string().min(1).optional(),
});

const httpMethod = z
  .string()
  .regex(/^[A-Za-z]+$/, 'an HTTP method such as GET')
  .transform((method) => method.toUpperCase());

const statusCode = z.number().int().min(100).max(599);

const expect = z.strictObject({
  /** Accepted status code(s); when absent any 2xx or 3xx passes (redirects are not followed). */
  status: z
    .union([statusCode, z.array(statusCode).min(1)])
    .transform((status) => (Array.isArray(status) ? status : [status]))
    .optional(),
  /** Text the response body must contain. */
  body: z.string().min(1).optional(),
  /** A field of the JSON body that must equal a value. */
  json: z.strictObject({ path: z.string().min(1), equals: z.json() }).optional(),
});

const restartCommon = {
  /** After restarting, keep pinging (once a second) for up to this long until the target is healthy. */
  waitFor: durationSchema({ allowZero: true, max: MAX_TIMER_MS }).default(0),
};

const restart = z.union([
  z.strictObject({
    /** A command line run through the robot as the person who clicked, e.g. `run restart-uat`. */
    command: z.string().min(1),
    ...restartCommon,
  }),
  z.strictObject({
    http: z.strictObject({
      method: httpMethod.default('POST'),
      url: httpUrl,
      headers: headers.default({}),
      body: z.string().optional(),
      timeout: duration.default(30_000),
      tls: tls.prefault({}),
    }),
    ...restartCommon,
  }),
]);

const target = z
  .strictObject({
    /** `http://…`, `https://…` or `tcp://host:port`. */
    url: z.url({ protocol: /^(https?|tcp)$/, error: 'an http://, https:// or tcp://host:port URL' }),
    method: httpMethod.default('GET'),
    headers: headers.default({}),
    expect: expect.prefault({}),
    timeout: duration.default(5000),
    /** A passing check slower than this reports DEGRADED. */
    degradedAfter: duration.optional(),
    tls: tls.prefault({}),
    /** Other names that reach this target in chat (case-insensitive). */
    aliases: z.array(targetName).default([]),
    restart: restart.optional(),
  })
  .superRefine((value, ctx) => {
    const url = new URL(value.url);
    if (url.protocol !== 'tcp:') return;
    if (!url.port) ctx.addIssue({ code: 'custom', path: ['url'], message: 'tcp:// URLs need a port' });
    if (value.expect.status || value.expect.body || value.expect.json) {
      ctx.addIssue({
        code: 'custom',
        path: ['expect'],
        message: 'only http(s) targets can expect a response',
      });
    }
  });

const monitor = z.strictObject({
  /** How often to check: an interval (`1m`) or a cron expression. */
  every: z.string().min(1).default('1m'),
  /** Notification route the alerts go to (`notifications.<route>` in the robot config). */
  notify: z.string().min(1),
  /** Consecutive failed checks before alerting. */
  failures: z.number().int().positive().default(2),
  /** Remind this often while a target stays down; 0 turns reminders off. */
  remindEvery: duration.default(30 * 60_000),
  /** Targets to watch (names or aliases); all when absent. */
  targets: z.array(z.string()).min(1).optional(),
});

/** The plugin's configuration schema. */
export const pingConfigSchema = z
  .strictObject({
    targets: z.record(targetName, target),
    monitor: monitor.optional(),
  })
  .superRefine((config, ctx) => {
    const seen = new Map<string, string>();
    for (const [name, { aliases }] of Object.entries(config.targets)) {
      for (const [index, word] of [name, ...aliases].entries()) {
        const path = index === 0 ? ['targets', name] : ['targets', name, 'aliases', index - 1];
        const key = word.toLowerCase();
        if (key === 'all')
          ctx.addIssue({ code: 'custom', path, message: '"all" is reserved for `ping all`' });
        const owner = seen.get(key);
        if (owner !== undefined) {
          ctx.addIssue({ code: 'custom', path, message: `"${word}" is already used by target ${owner}` });
        }
        seen.set(key, name);
      }
    }
    for (const [index, word] of (config.monitor?.targets ?? []).entries()) {
      if (!seen.has(word.toLowerCase())) {
        ctx.addIssue({
          code: 'custom',
          path: ['monitor', 'targets', index],
          message: `unknown target "${word}"`,
        });
      }
    }
  });

/** The plugin's configuration as written. */
export type PingConfigInput = z.input<typeof pingConfigSchema>;
/** The plugin's configuration after validation (durations in milliseconds). */
export type PingConfig = z.output<typeof pingConfigSchema>;
/** One target's validated configuration. */
export type TargetConfig = PingConfig['targets'][string];
/** A validated restart declaration. */
export type RestartConfig = NonNullable<TargetConfig['restart']>;
/** The validated monitor block. */
export type MonitorConfig = NonNullable<PingConfig['monitor']>;
