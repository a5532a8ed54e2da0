import { describe, expect, it } from 'vitest';
import { transformInSlices } from '../src/sliced-text.js';

describe('transformInSlices', () => {
  it('gives the same result as one pass, in slices that end at line breaks', async () => {
    const text = Array.from({ length: 20_000 }, (_, index) => `line ${index} token=abc${index}`).join('\n');
    const slices: string[] = [];
    const result = await transformInSlices(text, (slice) => {
      slices.push(slice);
      return slice.replace(/token=\w+/g, 'token=[redacted]');
    });
    expect(result).toBe(text.replace(/token=\w+/g, 'token=[redacted]'));
    expect(slices.length).toBeGreaterThan(5);
    expect(slices.slice(0, -1).every((slice) => slice.endsWith('\n'))).toBe(true);
  });

  it('keeps a PEM block in one slice so a multi-line secret is redacted whole', async () => {
    const filler = 'x'.repeat(100);
    const key = [
      '-----BEGIN PRIVATE KEY-----',
      ...Array.from({ length: 800 }, () => 'A'.repeat(64)),
      '-----END PRIVATE KEY-----',
    ].join('\n');
    const text = `${Array.from({ length: 300 }, () => filler).join('\n')}\n${key}\nafter\n`;
    const pem = /-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g;
    const result = await transformInSlices(text, (slice) => slice.replace(pem, '[redacted]'));
    expect(result).not.toContain('AAAA');
    expect(result).toContain('[redacted]\nafter');
  });

  it('lets other work run between slices', async () => {
    const text = 'y\n'.repeat(200_000);
    let ticks = 0;
    const timer = setInterval(() => {
      ticks += 1;
    }, 0);
    await transformInSlices(text, (slice) => {
      const started = performance.now();
      while (performance.now() - started < 2);
      return slice;
    });
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
  });
});
