import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/runtime/logger.js';

function sink() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join(''), lines: () => chunks.join('').trim().split('\n') };
}

const TOKEN = 'xoxb-1234-5678-abcdefSECRET';

describe('createLogger', () => {
  it('writes JSON lines at the configured level', () => {
    const out = sink();
    const log = createLogger({ level: 'info', destination: out.stream });
    log.debug('hidden');
    log.info({ command: 'ping' }, 'handled');
    const lines = out.lines().map((line) => JSON.parse(line));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 30, msg: 'handled', command: 'ping' });
  });

  it('redacts secret-looking keys at any depth, including arrays and headers', () => {
    const out = sink();
    const log = createLogger({ level: 'info', destination: out.stream });
    log.info(
      {
        token: TOKEN,
        config: {
          slack: { botToken: TOKEN, appToken: TOKEN, signingSecret: TOKEN, apiUrl: 'https://slack/api/' },
        },
        mattermost: { commandTokens: [TOKEN] },
        req: { headers: { authorization: `Bearer ${TOKEN}`, cookie: TOKEN, 'set-cookie': TOKEN, host: 'x' } },
        deep: { a: { b: { c: { d: { password: TOKEN } } } } },
        list: [{ secret: TOKEN }],
      },
      'start',
    );
    expect(out.text()).not.toContain('SECRET');
    const line = JSON.parse(out.lines()[0]!);
    expect(line.token).toBe('[redacted]');
    expect(line.config.slack).toEqual({
      botToken: '[redacted]',
      appToken: '[redacted]',
      signingSecret: '[redacted]',
      apiUrl: 'https://slack/api/',
    });
    expect(line.mattermost.commandTokens).toBe('[redacted]');
    expect(line.req.headers).toEqual({
      authorization: '[redacted]',
      cookie: '[redacted]',
      'set-cookie': '[redacted]',
      host: 'x',
    });
    expect(line.deep.a.b.c.d.password).toBe('[redacted]');
    expect(line.list[0].secret).toBe('[redacted]');
  });

  it('redacts in child loggers and their bindings', () => {
    const out = sink();
    const child = createLogger({ level: 'info', destination: out.stream }).child({
      adapter: { token: TOKEN },
    });
    child.info({ nested: { apiKey: TOKEN } }, 'connected');
    expect(out.text()).not.toContain('SECRET');
    expect(out.text()).toContain('[redacted]');
  });

  it('scrubs Slack tokens and bearer credentials from messages', () => {
    const out = sink();
    const log = createLogger({ level: 'info', destination: out.stream });
    log.info(`connecting with ${TOKEN}`);
    log.warn('header was Bearer abc.def-SECRET and %s', 'xapp-1-A0-SECRET');
    expect(out.text()).not.toContain('SECRET');
    expect(out.lines().map((line) => JSON.parse(line).msg)).toEqual([
      'connecting with [redacted]',
      'header was Bearer [redacted] and [redacted]',
    ]);
  });

  it('uses the audit log’s rules: AWS keys in field values, error messages and grandchild bindings', () => {
    const out = sink();
    const secretKey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const log = createLogger({ level: 'info', destination: out.stream })
      .child({ component: 'aws' })
      .child({ profile: { awsSecretAccessKey: secretKey } });
    log.error(
      {
        err: new Error(`signing failed for ${secretKey}`),
        note: `key AKIAIOSFODNN7EXAMPLE and ${secretKey}`,
      },
      'call failed',
    );
    const text = out.text();
    expect(text).not.toContain(secretKey);
    expect(text).not.toContain('AKIAIOSFODNN7EXAMPLE');
    const line = JSON.parse(out.lines()[0]!);
    expect(line).toMatchObject({
      component: 'aws',
      profile: { awsSecretAccessKey: '[redacted]' },
      note: 'key [redacted] and [redacted]',
      err: { type: 'Error', message: 'signing failed for [redacted]' },
    });
    expect(line.err.stack).toContain('signing failed for [redacted]');
  });

  it('writes pretty lines when asked, still redacted', () => {
    const out = sink();
    const log = createLogger({ level: 'info', pretty: true, destination: out.stream });
    log.info({ slack: { botToken: TOKEN }, command: 'ping' }, 'handled');
    const text = out.text();
    expect(text).toMatch(/INFO.*handled/);
    expect(text).toContain('command: "ping"');
    expect(text).toContain('"[redacted]"');
    expect(text).not.toContain('SECRET');
    expect(() => JSON.parse(text)).toThrow();
  });
});
