import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

describe('README', () => {
  it('says delivery ids are kept in the store, shared by replicas on Redis (replicas.e2e.test.ts shows it)', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).not.toMatch(/in process memory only|Replicas do not share delivery ids/);
    expect(readme).toMatch(/Replicas on one Redis store share these records/);
  });
});
