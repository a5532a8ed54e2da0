import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../src/index.js';

describe('formatDuration', () => {
  it.each([
    [850, '850ms'],
    [999.6, '1s'],
    [12_340, '12.3s'],
    [59_960, '1m'],
    [245_000, '4m 5s'],
    [899_600, '15m'],
    [15 * 60_000 - 3, '15m'],
    [2.5 * 3_600_000, '2h 30m'],
    [86_400_000 - 10, '1d'],
    [30 * 86_400_000 - 1, '30d'],
    [30 * 86_400_000 + 5 * 60_000, '30d'],
  ])('formats %d ms as %s', (milliseconds, text) => {
    expect(formatDuration(milliseconds)).toBe(text);
  });

  it('reads back what parseDuration takes', () => {
    for (const text of ['15m', '2h', '30d', '45s']) {
      expect(formatDuration(parseDuration(text)!)).toBe(text);
    }
  });
});
