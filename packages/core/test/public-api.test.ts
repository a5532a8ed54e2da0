import * as publicApi from '@chatops/core';
import * as internal from '@chatops/core/internal';
import * as testing from '@chatops/core/testing';
import { describe, expect, it } from 'vitest';

/** The values a plugin or adapter author uses; types are checked by the importers' builds. */
const PUBLIC_VALUES = [
  'AccessDeniedError',
  'MAX_TIMER_MS',
  'REDACTED',
  'StoreUnavailableError',
  'InFlight',
  'TtlCache',
  'UsageError',
  'UserFacingError',
  'awsConnectionShape',
  'backoffDelay',
  'currentTraceId',
  'defineAdapter',
  'definePlugin',
  'durationSchema',
  'escapeRegExp',
  'formatDuration',
  'formatTable',
  'isUsageError',
  'isUserFacingError',
  'parseDuration',
  'redactArgs',
  'redactText',
  'renderCardText',
  'replyThread',
  'setSpanAttributes',
  'sleepUnlessAborted',
  'tracingEnabled',
  'withSpan',
  'withTimeout',
];

describe('the package exports', () => {
  it('@chatops/core exports exactly the plugin and adapter API', () => {
    expect(Object.keys(publicApi).sort()).toEqual([...PUBLIC_VALUES].sort());
  });

  it("the robot's own parts are in @chatops/core/internal, not in @chatops/core", () => {
    const internals = [
      'Robot',
      'Policy',
      'RateLimiter',
      'ActionTokens',
      'AuditLog',
      'hashLine',
      'MemoryStore',
    ];
    const more = ['SqliteStore', 'RedisStore', 'createStore', 'configSchema', 'loadConfig', 'ShellAdapter'];
    const rest = ['SECRET_PATTERNS', 'Scheduler', 'HttpServer', 'Metrics', 'Leases', 'RedisEventStream'];
    for (const name of [...internals, ...more, ...rest]) {
      expect(internal, name).toHaveProperty(name);
      expect(publicApi, name).not.toHaveProperty(name);
    }
  });

  it('the testing kit hands plugin tests the memory store, the same class the robot uses', () => {
    expect(testing.MemoryStore).toBe(internal.MemoryStore);
  });

  it('a name in both entries is the same object', () => {
    expect(publicApi.redactText).toBe(internal.redactText);
    expect(publicApi.redactArgs).toBe(internal.redactArgs);
  });
});
