import { describe, expect, it } from 'vitest';
import { commandTokenOf, matchesAnyToken } from '../src/token-check.js';

describe('command token verification', () => {
  it('accepts any configured token and rejects others, including empty and prefixes', () => {
    const tokens = ['old-token-abc', 'new-token-xyz'];
    expect(matchesAnyToken('new-token-xyz', tokens)).toBe(true);
    expect(matchesAnyToken('old-token-abc', tokens)).toBe(true);
    expect(matchesAnyToken('new-token-xy', tokens)).toBe(false);
    expect(matchesAnyToken('', tokens)).toBe(false);
    expect(matchesAnyToken('', [''])).toBe(false);
    expect(matchesAnyToken('anything', [])).toBe(false);
  });

  it('reads the token from the form, else from `Authorization: Token`', () => {
    expect(commandTokenOf({ token: 'a' }, 'Token b')).toBe('a');
    expect(commandTokenOf({}, 'Token b')).toBe('b');
    expect(commandTokenOf({}, 'Bearer b')).toBe('');
    expect(commandTokenOf({}, undefined)).toBe('');
  });
});
