import { describe, expect, it } from 'vitest';
import { type PingConfigInput, pingConfigSchema } from '../src/config.js';

function issues(input: unknown): string[] {
  const parsed = pingConfigSchema.safeParse(input);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('ping config', () => {
  it('fills defaults and reads durations as milliseconds', () => {
    const input: PingConfigInput = {
      targets: {
        uat: {
          url: 'https://uat.example/health',
          expect: { status: 204 },
          degradedAfter: '800ms',
          aliases: ['u'],
        },
        db: { url: 'tcp://db.internal:5432', timeout: '2s' },
      },
      monitor: { notify: 'ops', remindEvery: '1h' },
    };
    const config = pingConfigSchema.parse(input);
    expect(config.targets['uat']).toMatchObject({
      method: 'GET',
      headers: {},
      timeout: 5000,
      degradedAfter: 800,
      expect: { status: [204] },
      tls: { verify: true },
      aliases: ['u'],
    });
    expect(config.targets['db']?.timeout).toBe(2000);
    expect(config.monitor).toEqual({ every: '1m', notify: 'ops', failures: 2, remindEvery: 3_600_000 });
  });

  it('reads both kinds of restart', () => {
    const config = pingConfigSchema.parse({
      targets: {
        uat: { url: 'http://uat/health', restart: { command: 'run restart-uat' } },
        prod: {
          url: 'http://prod/health',
          restart: { http: { url: 'https://deploy/restart' }, waitFor: '30s' },
        },
      },
    });
    expect(config.targets['uat']?.restart).toEqual({ command: 'run restart-uat', waitFor: 0 });
    expect(config.targets['prod']?.restart).toMatchObject({
      http: {
        method: 'POST',
        url: 'https://deploy/restart',
        headers: {},
        timeout: 30_000,
        tls: { verify: true },
      },
      waitFor: 30_000,
    });
  });

  it('names the key of a URL that is not http, https or tcp', () => {
    expect(issues({ targets: { uat: { url: 'ftp://uat/' } } })).toEqual([
      'targets.uat.url: an http://, https:// or tcp://host:port URL',
    ]);
  });

  it('rejects a tcp URL without a port and response expectations on tcp', () => {
    expect(issues({ targets: { db: { url: 'tcp://db', expect: { body: 'ok' } } } })).toEqual([
      'targets.db.url: tcp:// URLs need a port',
      'targets.db.expect: only http(s) targets can expect a response',
    ]);
  });

  it('rejects a bad duration, naming it', () => {
    expect(issues({ targets: { uat: { url: 'http://uat/', timeout: 'soon' } } })).toEqual([
      'targets.uat.timeout: "soon" is not a duration (try 500ms, 30s, 5m, 1h, 7d)',
    ]);
  });

  it('refuses a zero or negative timeout (the shared duration schema)', () => {
    expect(issues({ targets: { uat: { url: 'http://uat/', timeout: 0 } } })).toEqual([
      'targets.uat.timeout: must be more than 0',
    ]);
    expect(issues({ targets: { uat: { url: 'http://uat/', timeout: '-5s' } } })).toEqual([
      'targets.uat.timeout: "-5s" is negative; a duration must be positive',
    ]);
  });

  it('rejects names and aliases that collide case-insensitively, and the reserved word all', () => {
    expect(
      issues({
        targets: {
          uat: { url: 'http://uat/', aliases: ['ALL'] },
          UAT: { url: 'http://uat2/' },
          staging: { url: 'http://staging/', aliases: ['Uat'] },
        },
      }),
    ).toEqual([
      'targets.uat.aliases.0: "all" is reserved for `ping all`',
      'targets.UAT: "UAT" is already used by target uat',
      'targets.staging.aliases.0: "Uat" is already used by target UAT',
    ]);
  });

  it('rejects monitored targets that do not exist and unknown keys', () => {
    expect(
      issues({
        targets: { uat: { url: 'http://uat/' } },
        monitor: { notify: 'ops', targets: ['uat', 'prod'] },
      }),
    ).toEqual(['monitor.targets.1: unknown target "prod"']);
    expect(issues({ targets: { uat: { url: 'http://uat/', timeut: '5s' } } })[0]).toMatch(
      /^targets\.uat: .*timeut/,
    );
  });
});
