import { durationSchema, MAX_TIMER_MS } from '@chatops/core';
import { z } from 'zod';

/** Timeouts and intervals here are timers: at most about 24 days. */
const duration = durationSchema({ max: MAX_TIMER_MS });

const httpUrl = z
  .url({ protocol: /^https?$/, error: 'an http(s) URL' })
  .transform((url) => url.replace(/\/+$/, ''));

/** The `mattermost:` block of the robot's config. */
export const mattermostConfigSchema = z.strictObject({
  /** The server's site URL, e.g. `https://chat.example.com`. */
  url: httpUrl,
  /** The bot account's personal access token. */
  token: z.string().min(1, "the bot account's access token"),
  /** Tokens of the custom slash commands that may call the bot (several during a rotation). */
  commandTokens: z.array(z.string().min(1)).default([]),
  /**
   * The bot's own URL as Mattermost reaches it; button callbacks go to `${publicUrl}/mattermost/actions`.
   * Defaults to the URL the bot's HTTP server listens on (right when Mattermost runs on the same host).
   */
  publicUrl: httpUrl.optional(),
  /** Team used to resolve channel names in notifications (`ops` → `team/ops`); the bot's first team otherwise. */
  team: z.string().optional(),
  /** How long users (name, email) and channels read over REST are cached. */
  cacheTtl: duration.prefault('10m'),
  /** Answer top-level channel messages in a new thread under them (messages in a thread are always answered there). */
  replyInThread: z.boolean().default(false),
  /** How long a slash command or a click waits for the result before Mattermost gets an acknowledgement. */
  ackTimeout: duration.prefault('2s'),
  /** Longest outage whose missed posts are still run after a reconnect. */
  catchUpWindow: duration.prefault('1h'),
  /** Application-level WebSocket ping; a missed reply drops and reopens the socket. */
  pingInterval: duration.prefault('30s'),
  reconnect: z
    .strictObject({
      /** First retry delay; doubles per failure, with jitter. */
      minDelay: duration.prefault('1s'),
      maxDelay: duration.prefault('30s'),
    })
    .prefault({}),
  rateLimit: z
    .strictObject({
      /** How many times a request answered with 429 is retried. */
      retries: z.number().int().min(0).max(20).default(5),
      /** Longest wait for one retry, whatever `Retry-After` says. */
      maxWait: duration.prefault('60s'),
    })
    .prefault({}),
  /** Runes per post (`16383` on current servers; 4000 on very old schemas). */
  messageLimit: z.number().int().min(200).max(65535).default(16383),
  /** How long a button's confirmation dialog may stay open before its confirmation no longer counts. */
  confirmWindow: duration.prefault('30s'),
});

/** Validated `mattermost:` config. */
export type MattermostConfig = z.output<typeof mattermostConfigSchema>;
/** The `mattermost:` block as written. */
export type MattermostConfigInput = z.input<typeof mattermostConfigSchema>;
