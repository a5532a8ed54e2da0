import { describe, expect, it } from 'vitest';
import { escapeRegExp } from '../src/shared/escape-regexp.js';

describe('escapeRegExp', () => {
  it('makes every special character match itself', () => {
    const text = 'ops.bot+1 (a|b) [x] {2} ^$ * ? \\';
    const pattern = new RegExp(`^${escapeRegExp(text)}$`);
    expect(pattern.test(text)).toBe(true);
    expect(pattern.test('opsXbot+1 (a|b) [x] {2} ^$ * ? \\')).toBe(false);
  });
});
