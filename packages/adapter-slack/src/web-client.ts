import type { Metrics } from '@chatops/core';
import { WebClient, WebClientEvent } from '@slack/web-api';
import type { SlackConfig } from './config.js';
import type { Logger } from './logger.js';
import { sdkLogger } from './sdk-logger.js';

/** Web API calls the client retried, by reason; exposed on `/metrics`. */
export const RETRIES_METRIC = 'chatops_slack_retries_total';

/**
 * The bot's Web API client. Rate-limited calls (429) wait out `Retry-After` and are retried, as are
 * network errors and 5xx answers, so no message is dropped for being throttled; each retry is counted.
 */
export function createWebClient(config: SlackConfig, log: Logger, metrics: Metrics): WebClient {
  const retries = metrics.counter(RETRIES_METRIC, 'Slack Web API calls retried, by reason', ['reason']);
  // Handed to p-retry as is, so it may carry p-retry's `onFailedAttempt`.
  const retryConfig = {
    retries: config.retries,
    factor: 2,
    randomize: true,
    minTimeout: config.retryMinDelay,
    maxTimeout: 60_000,
    onFailedAttempt: (error: Error & { retriesLeft?: number }) => {
      // Rate limits are counted by the rate_limited event, which also knows the wait.
      if ((error.retriesLeft ?? 0) > 0 && !/rate limit/i.test(error.message))
        retries.inc({ reason: 'error' });
    },
  };
  const client = new WebClient(config.botToken, {
    slackApiUrl: config.apiUrl,
    logger: sdkLogger(log.child({ component: 'slack-web-api' })),
    rejectRateLimitedCalls: false,
    timeout: 30_000,
    retryConfig,
  });
  client.on(WebClientEvent.RATE_LIMITED, (retryAfterSeconds: number, { url }: { url: string }) => {
    retries.inc({ reason: 'rate_limited' });
    log.warn({ method: url.split('/').pop(), retryAfterSeconds }, 'Slack rate limit: waiting, then retrying');
  });
  return client;
}
