import { describe, expect, it } from 'vitest';
import { mattermostConfigSchema } from '../src/config.js';

describe('mattermost config', () => {
  it('fills defaults and trims trailing slashes', () => {
    const config = mattermostConfigSchema.parse({ url: 'https://chat.example.com/', token: 't' });
    expect(config).toMatchObject({
      url: 'https://chat.example.com',
      commandTokens: [],
      replyInThread: false,
      cacheTtl: 600_000,
      messageLimit: 16383,
      reconnect: { minDelay: 1000, maxDelay: 30_000 },
      rateLimit: { retries: 5, maxWait: 60_000 },
    });
  });

  it('refuses a zero, negative or unreadable duration, naming the key (the shared duration schema)', () => {
    for (const [ackTimeout, message] of [
      [0, 'must be more than 0'],
      ['-5s', '"-5s" is negative; a duration must be positive'],
      ['forever', '"forever" is not a duration (try 500ms, 30s, 5m, 1h, 7d)'],
    ] as const) {
      const bad = mattermostConfigSchema.safeParse({
        url: 'https://chat.example.com',
        token: 't',
        ackTimeout,
      });
      expect(bad.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)).toEqual([
        `ackTimeout: ${message}`,
      ]);
    }
  });

  it('names the key that is wrong', () => {
    const bad = mattermostConfigSchema.safeParse({
      url: 'ftp://x',
      token: 't',
      ackTimeout: 'soon',
      extra: 1,
    });
    expect(bad.success).toBe(false);
    const paths = bad.error?.issues.map((issue) => issue.path.join('.') || issue.message);
    expect(paths).toEqual(expect.arrayContaining(['url', 'ackTimeout']));
    expect(JSON.stringify(bad.error?.issues)).toContain('extra');
  });
});
