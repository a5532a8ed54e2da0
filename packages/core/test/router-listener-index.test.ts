import { describe, expect, it } from 'vitest';
import { literalPrefix } from '../src/router/literal-prefix.js';
import { Router } from '../src/router/router.js';

const run = () => undefined;

describe('literalPrefix', () => {
  it.each([
    [/^deploy (.*)$/i, 'deploy'],
    [/^(?:deploy (.*))/i, 'deploy'],
    [/^(?:^ECHO ([\s\S]*)$)/i, 'echo'],
    [/^svc17 status (\w+)$/, 'svc17'],
    [/^pings?$/, 'ping'],
    [/^ab+c/, 'ab'],
    [/^aws\.s3/, 'aws.s3'],
    [/^(?:ship it)/, 'ship'],
    [/^(?:foo)bar baz/, 'foobar'],
  ])('%s starts with %j', (pattern, prefix) => {
    expect(literalPrefix(pattern)).toBe(prefix);
  });

  it.each([
    [/deploy (.*)/i, 'not anchored'],
    [/^deploy|status/, 'top-level alternation'],
    [/^(?:deploy|status)/, 'alternation in the leading group'],
    [/^(?:deploy)? now/, 'optional leading group'],
    [/^(what are )?the rules/i, 'capturing group first'],
    [/^\s*deploy/, 'a class first'],
    [/^deploy/m, 'multiline: ^ matches after every newline'],
    [/^deploy/iu, 'Unicode case folding'],
    [/^d?eploy/, 'optional first character'],
  ])('%s has none (%s)', (pattern) => {
    expect(literalPrefix(pattern)).toBeUndefined();
  });
});

describe('listener index', () => {
  function routerWith(patterns: RegExp[]): Router {
    const router = new Router();
    patterns.forEach((pattern, index) => {
      router.addListener('test', pattern, { id: `l${index}`, effect: 'read', run }, true);
    });
    return router;
  }

  it('tries only the listeners filed under a prefix of the first word, plus the unindexed ones', () => {
    const router = routerWith([/^deploy (\w+)/i, /^status$/i, /the rules/i, /^dep/]);
    expect(router.listeners.stats).toEqual({ indexed: 3, scanned: 1 });
    const ids = (text: string) => router.listeners.candidates(text).map((listener) => listener.id);
    expect(ids('deploy web')).toEqual(['l0', 'l2', 'l3']);
    expect(ids('STATUS')).toEqual(['l1', 'l2']);
    expect(ids('what are the rules')).toEqual(['l2']);
  });

  it('routes the same lines as a scan of every listener would, in registration order', () => {
    const router = routerWith([/^deploy (\w+)/i, /^deployment$/, /^Deploy now$/, /now$/]);
    const matched = (text: string) => {
      const route = router.resolve(text, true);
      return route.type === 'listeners' ? route.matches.map((match) => match.listener.id) : [];
    };
    expect(matched('deploy now')).toEqual(['l0', 'l3']);
    expect(matched('Deploy now')).toEqual(['l0', 'l2', 'l3']);
    expect(matched('deployment')).toEqual(['l1']);
    expect(matched('redeploy now')).toEqual(['l3']);
  });

  it('runs fallback listeners only when nothing else matched', () => {
    const router = new Router();
    router.addListener('test', /^known$/, { id: 'known', effect: 'read', run }, true);
    router.addListener('test', /[\s\S]*/, { id: 'fallback', effect: 'read', fallback: true, run }, true);
    const first = (text: string) => {
      const route = router.resolve(text, true);
      return route.type === 'listeners' ? route.matches[0]!.listener.id : route.type;
    };
    expect(first('known')).toBe('known');
    expect(first('something else')).toBe('fallback');
    expect(router.resolve('not addressed', false).type).toBe('none');
  });

  it('matches with a custom matcher, which gets the message', () => {
    const router = new Router();
    router.addListener(
      'test',
      (text, incoming) => (incoming?.user.name === 'alice' ? text.match(/.+/) : null),
      { id: 'alice-only', effect: 'read', run },
      false,
    );
    const incoming = (name: string) => ({
      type: 'message' as const,
      platform: 'shell',
      user: { id: name, name },
      conversation: { id: 'c', kind: 'channel' as const },
      text: 'hi',
      addressed: false,
    });
    expect(router.resolve('hi', false, incoming('alice')).type).toBe('listeners');
    expect(router.resolve('hi', false, incoming('bob')).type).toBe('none');
  });
});
