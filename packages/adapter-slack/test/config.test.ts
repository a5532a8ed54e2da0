import { describe, expect, it } from 'vitest';
import { slackConfigSchema } from '../src/index.js';

const issue = (input: unknown) => {
  const parsed = slackConfigSchema.safeParse(input);
  if (parsed.success) return undefined;
  const first = parsed.error.issues[0]!;
  return `${first.path.join('.')}: ${first.message}`;
};

describe('slack config', () => {
  it('defaults to Socket Mode against slack.com with durations in milliseconds', () => {
    const config = slackConfigSchema.parse({ botToken: 'xoxb-1', appToken: 'xapp-1' });
    expect(config).toMatchObject({
      mode: 'socket',
      apiUrl: 'https://slack.com/api/',
      threadReplies: true,
      postInterval: 1000,
      cacheTtl: 600_000,
      retries: 10,
      pingTimeout: 5000,
    });
  });

  it('normalizes apiUrl and parses durations', () => {
    const config = slackConfigSchema.parse({
      botToken: 'xoxb-1',
      appToken: 'xapp-1',
      apiUrl: 'https://slack-gov.com/api',
      postInterval: '2s',
      cacheTtl: '1h',
    });
    expect(config).toMatchObject({
      apiUrl: 'https://slack-gov.com/api/',
      postInterval: 2000,
      cacheTtl: 3_600_000,
    });
  });

  it('names the key that is wrong', () => {
    expect(issue({ appToken: 'xapp-1' })).toBe('botToken: a bot token is required');
    expect(issue({ botToken: '', appToken: 'xapp-1' })).toMatch(/^botToken: a bot token is required/);
    expect(issue({ botToken: 'xapp-1', appToken: 'xapp-1' })).toBe('botToken: must be a bot token (xoxb-…)');
    expect(issue({ botToken: 'xoxb-1' })).toBe(
      'appToken: an app-level token (xapp-…) is required in socket mode',
    );
    expect(issue({ mode: 'http', botToken: 'xoxb-1' })).toBe(
      'signingSecret: the signing secret is required in http mode',
    );
    expect(issue({ botToken: 'xoxb-1', appToken: 'xapp-1', apiUrl: 'ftp://x' })).toMatch(
      /^apiUrl: must be an http\(s\) URL/,
    );
    expect(issue({ botToken: 'xoxb-1', appToken: 'xapp-1', postInterval: 'soon' })).toMatch(
      /^postInterval: "soon" is not a duration/,
    );
    expect(issue({ botToken: 'xoxb-1', appToken: 'xapp-1', token: 'x' })).toMatch(/^: Unrecognized key/);
  });
});
