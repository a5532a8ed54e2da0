import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

describe('README', () => {
  it('does not claim that de-duplication holds across replicas (delivery ids stay in one process)', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).not.toMatch(/across\s+replicas/i);
    expect(readme).toMatch(/Replicas do not share delivery ids/);
  });
});
