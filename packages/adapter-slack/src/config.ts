import { durationSchema, MAX_TIMER_MS } from '@chatops/core';
import { z } from 'zod';

/** Timeouts and intervals here are timers: at most about 24 days. */
const duration = durationSchema({ max: MAX_TIMER_MS });

const token = (prefix: string, what: string) =>
  z
    .string({ error: `${what} is required` })
    .min(1, `${what} is required (is its environment variable set?)`)
    .refine((value) => value.startsWith(prefix), `must be ${what} (${prefix}…)`);

/** The `slack:` block of the robot's config. */
export const slackConfigSchema = z
  .strictObject({
    /** `socket` (Socket Mode, no public URL needed) or `http` (Events API / Request URLs). */
    mode: z.enum(['socket', 'http']).default('socket'),
    /** Bot User OAuth token. */
    botToken: token('xoxb-', 'a bot token'),
    /** App-level token with `connections:write` (Socket Mode). */
    appToken: token('xapp-', 'an app-level token').optional(),
    /** Signing secret (HTTP mode). */
    signingSecret: z
      .string()
      .min(1, 'the signing secret is required (is its environment variable set?)')
      .optional(),
    /** Web API base URL, for GovSlack or a proxy. Used by the Web API and Socket Mode clients. */
    apiUrl: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://slack.com/api/' })
      .default('https://slack.com/api/')
      .transform((url) => (url.endsWith('/') ? url : `${url}/`)),
    /** Reply in a thread under a channel message (DMs and slash commands reply in place). */
    threadReplies: z.boolean().default(true),
    /** Minimum time between two messages the bot posts to one channel (Slack allows about 1/s). */
    postInterval: durationSchema({ allowZero: true, max: MAX_TIMER_MS }).default(1000),
    /** How long users.info (name, email) and conversations.info (channel name) answers are cached. */
    cacheTtl: duration.default(10 * 60 * 1000),
    /** How often a failed Web API call (rate limit, network, 5xx) is retried before giving up. */
    retries: z.number().int().min(0).max(50).default(10),
    /** First retry delay; later ones grow exponentially. */
    retryMinDelay: duration.default(1000),
    /** Socket Mode: ping timeout; a socket silent for this long is reconnected. */
    pingTimeout: duration.default(5000),
    /** Socket Mode: first delay before reconnecting after a failed attempt (doubles up to 30 s). */
    reconnectDelay: duration.default(1000),
  })
  .superRefine((config, ctx) => {
    if (config.mode === 'socket' && !config.appToken) {
      ctx.addIssue({
        code: 'custom',
        path: ['appToken'],
        message: 'an app-level token (xapp-…) is required in socket mode',
      });
    }
    if (config.mode === 'http' && !config.signingSecret) {
      ctx.addIssue({
        code: 'custom',
        path: ['signingSecret'],
        message: 'the signing secret is required in http mode',
      });
    }
  });

/** Validated `slack:` config (durations in milliseconds). */
export type SlackConfig = z.output<typeof slackConfigSchema>;
/** The `slack:` block as written in the config file. */
export type SlackConfigInput = z.input<typeof slackConfigSchema>;
