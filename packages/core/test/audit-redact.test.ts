import { describe, expect, it } from 'vitest';
import { isSecretKey, REDACTED, redactArgs, redactText } from '../src/audit/redact.js';

describe('redactText', () => {
  const secrets: [string, string, string][] = [
    ['AWS access key id', 'key AKIAIOSFODNN7EXAMPLE in use', `key ${REDACTED} in use`],
    ['AWS session key id', 'ASIAY34FZKBOKMUTVV7A', REDACTED],
    [
      'AWS secret access key',
      'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      `aws_secret_access_key = ${REDACTED}`,
    ],
    ['Slack bot token', 'use xoxb-1234-5678-abcdefghij now', `use ${REDACTED} now`],
    ['Slack user token', 'xoxp-1111-2222-3333-abcdef', REDACTED],
    ['Slack rotating token', 'xoxe.xoxp-1-Mi0yLTEyMzQ1', REDACTED],
    ['Slack app token', 'xapp-1-A123-456-abcdef', REDACTED],
    ['Slack webhook', 'post to https://hooks.slack.com/services/T0/B0/XyZ', `post to ${REDACTED}`],
    ['GitHub classic token', `ghp_${'a1B2'.repeat(9)}`, REDACTED],
    ['GitHub fine-grained token', `github_pat_${'A1b2'.repeat(6)}_${'x'.repeat(30)}`, REDACTED],
    ['GitLab token', 'glpat-abcdefghij0123456789', REDACTED],
    ['npm token', `npm_${'a'.repeat(36)}`, REDACTED],
    ['JWT', 'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl', `jwt ${REDACTED}`],
    ['Bearer header', 'Authorization: Bearer abcdef123456', `Authorization: ${REDACTED}`],
    ['bare Bearer', 'sent Bearer abcdef123456', `sent Bearer ${REDACTED}`],
    ['Basic header', 'curl -H "Authorization: Basic dXNlcjpwYXNz"', `curl -H "Authorization: ${REDACTED}"`],
    [
      'PEM private key',
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nIBAAK\n-----END RSA PRIVATE KEY----- done',
      `${REDACTED} done`,
    ],
    ['cut-off PEM private key', 'x -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC', `x ${REDACTED}`],
    ['URL password', 'https://bob:hunter2@db.example.com/x', `https://bob:${REDACTED}@db.example.com/x`],
    ['database URL', 'postgres://app:s3cr3t@10.0.0.1:5432/db', `postgres://app:${REDACTED}@10.0.0.1:5432/db`],
    ['password assignment', 'password=hunter2 user=bob', `password=${REDACTED} user=bob`],
    ['JSON token keeps quotes', '{"token": "abc", "n": 1}', `{"token": "${REDACTED}", "n": 1}`],
    ['YAML secret', 'client_secret: abc123', `client_secret: ${REDACTED}`],
    ['option with space', 'login --password hunter2 --user bob', `login --password ${REDACTED} --user bob`],
    ['api key option', '--api-key=abc123', `--api-key=${REDACTED}`],
  ];
  it.each(secrets)('redacts a %s', (_name, input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  const ordinary = [
    'ping uat',
    'restart web-1',
    'aws s3 public my-bucket-2024',
    'key=reports/2024/a.csv',
    'disk-usage /var/log',
    '"PasswordLastUsed": "2024-05-01T10:00:00Z"',
    '--password-length 12',
    'the bearer of news',
    'commit 3f2c9a1d8e7b6a5c4d3e2f1a0b9c8d7e6f5a4b3c',
    'https://example.com:8443/path?q=1',
    'email bob@example.com',
  ];
  it.each(ordinary)('keeps ordinary text %j', (input) => {
    expect(redactText(input)).toBe(input);
  });

  it.each([
    ['dotted runs', 'a.'.repeat(100_000)],
    ['dashed runs of JWT starts', 'eyJ-'.repeat(50_000)],
    ['repeated schemes', 'a://'.repeat(50_000)],
  ])('leaves long %s alone without backtracking blow-ups', (_name, input) => {
    expect(redactText(input)).toBe(input);
  });

  it('is idempotent', () => {
    const once = redactText('password=hunter2 and xoxb-1234-5678-abcdefghij');
    expect(redactText(once)).toBe(once);
  });
});

describe('isSecretKey', () => {
  it.each([
    'password',
    'dbPassword',
    'passwd',
    'pwd',
    'token',
    'access_token',
    'secret',
    'clientSecret',
    'apiKey',
    'x-api-key',
    'API_KEY',
    'accessKey',
    'secretAccessKey',
    'privateKey',
    'authorization',
    'Cookie',
    'sessionId',
    'credentials',
  ])('treats %s as secret', (key) => {
    expect(isSecretKey(key)).toBe(true);
  });

  it.each([
    'key',
    'sortKey',
    'objectKey',
    'publicKey',
    'bucket',
    'target',
    'user',
    'accessKeyId',
    'passwordLastUsed',
    'tokenExpiry',
    'sessionTimeout',
    'account',
  ])('keeps %s', (key) => {
    expect(isSecretKey(key)).toBe(false);
  });

  it('adds configured keys, ignoring case and separators', () => {
    expect(isSecretKey('Otp-Seed', ['otp_seed'])).toBe(true);
    expect(isSecretKey('seed')).toBe(false);
  });
});

describe('redactArgs', () => {
  it('redacts secret keys and credential values deeply, keeping ordinary args', () => {
    const args = {
      _: ['uat', 'web-1', 'AKIAIOSFODNN7EXAMPLE'],
      bucket: 'my-bucket',
      key: 'reports/a.csv',
      password: 'hunter2',
      force: true,
      retries: 3,
      nested: { apiKey: 42, list: [{ cookie: 'c=1' }, 'Bearer abcdefgh1234'] },
    };
    expect(redactArgs(args)).toEqual({
      _: ['uat', 'web-1', REDACTED],
      bucket: 'my-bucket',
      key: 'reports/a.csv',
      password: REDACTED,
      force: true,
      retries: 3,
      nested: { apiKey: REDACTED, list: [{ cookie: REDACTED }, `Bearer ${REDACTED}`] },
    });
  });

  it('returns a copy and leaves the input untouched', () => {
    const args = { token: 'abc', list: ['x'] };
    const copy = redactArgs(args);
    expect(args).toEqual({ token: 'abc', list: ['x'] });
    expect(copy['list']).not.toBe(args.list);
  });

  it('redacts extra keys from config', () => {
    expect(redactArgs({ pin: '1234', customer: 'acme' }, ['customer'])).toEqual({
      pin: REDACTED,
      customer: REDACTED,
    });
  });

  it('turns values JSON cannot hold into safe ones and survives cycles', () => {
    const cyclic: Record<string, unknown> = { n: 10n, when: new Date(0) };
    cyclic['self'] = cyclic;
    expect(redactArgs(cyclic)).toEqual({ n: '10', when: '1970-01-01T00:00:00.000Z', self: '[circular]' });
  });
});

describe('redactText on short plain words', () => {
  it('leaves short plain words alone and still catches the shortest token shapes', () => {
    expect(redactText('web-1.prod')).toBe('web-1.prod');
    expect(redactText('xoxb-1234abcd')).toBe('[redacted]');
    expect(redactText('xapp-1234abcd')).toBe('[redacted]');
  });
});
