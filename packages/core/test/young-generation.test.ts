import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const probe = fileURLToPath(new URL('./fixtures/young-generation-probe.mjs', import.meta.url));
// tsc's output of src/cli/young-generation.ts (the probe runs in plain Node).
const module = fileURLToPath(new URL('../.build/cli/young-generation.js', import.meta.url));
const MB = 1024 * 1024;

describe('the young generation while the CLI starts', () => {
  it('does not grow while held, and grows again once released', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [probe, module]);
    const sizes = JSON.parse(stdout) as { initial: number; held: number; released: number };
    expect(sizes.held).toBeLessThanOrEqual(8 * MB);
    expect(sizes.released).toBeGreaterThanOrEqual(2 * sizes.held);
  });
});
