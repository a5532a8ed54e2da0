import { describe, expect, it } from 'vitest';
import { runeLength, splitMessage, truncateMessage } from '../src/render/split-message.js';

describe('message limits', () => {
  it('counts runes, not UTF-16 units or bytes', () => {
    expect(runeLength('héllo 👋')).toBe(7);
  });

  it('leaves a message within the limit as it is', () => {
    expect(splitMessage('short', 100)).toEqual(['short']);
  });

  it('splits at line boundaries into parts within the limit, losing nothing', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `line ${i} 🚀`);
    const parts = splitMessage(lines.join('\n'), 1000);
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) expect(runeLength(part)).toBeLessThanOrEqual(1000);
    expect(parts.join('\n').split('\n')).toEqual(lines);
  });

  it('closes and reopens a code block cut in two', () => {
    const code = ['```', ...Array.from({ length: 200 }, (_, i) => `output ${i}`), '```'].join('\n');
    const parts = splitMessage(`Result:\n${code}\nDone.`, 600);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(runeLength(part)).toBeLessThanOrEqual(600);
      expect((part.match(/^```$/gm) ?? []).length % 2).toBe(0);
    }
    expect(parts.at(-1)).toMatch(/Done\.$/);
  });

  it('cuts a single line longer than the limit', () => {
    const parts = splitMessage('x'.repeat(2500), 1000);
    expect(parts.join('')).toBe('x'.repeat(2500));
    for (const part of parts) expect(runeLength(part)).toBeLessThanOrEqual(1000);
  });

  it('truncates with a note of the lines left out and an open code block closed', () => {
    const text = ['```', ...Array.from({ length: 500 }, (_, i) => `row ${i}`)].join('\n');
    const cut = truncateMessage(text, 400);
    expect(runeLength(cut)).toBeLessThanOrEqual(400);
    expect(cut).toMatch(/\n```\n… \d+ more lines$/);
  });
});
