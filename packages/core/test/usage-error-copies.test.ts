import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin, isUsageError, isUserFacingError, UsageError, UserFacingError } from '../src/index.js';
import { createTestBot } from '../src/testing/index.js';

// A plugin that installs its own copy of @chatops/core throws that copy's errors. tsc's output
// `.build/plugins/plugin.js` has no imports, so a copy of it elsewhere is a genuine second copy of the classes.
let dir: string;
let copy: typeof import('../src/plugins/plugin.js');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chatops-core-copy-'));
  const built = fileURLToPath(new URL('../.build/plugins/plugin.js', import.meta.url));
  const source = await readFile(built, 'utf8');
  await writeFile(join(dir, 'plugin.js'), source.replace(/^\/\/# sourceMappingURL=.*$/m, ''));
  copy = await import(pathToFileURL(join(dir, 'plugin.js')).href);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('UsageError and UserFacingError across two copies of core', () => {
  it('are recognized by instanceof and by the guards', () => {
    expect(copy.UsageError).not.toBe(UsageError);
    const usage = new copy.UsageError('bad');
    const facing = new copy.UserFacingError('shown');
    expect(usage instanceof UsageError).toBe(true);
    expect(isUsageError(usage)).toBe(true);
    expect(facing instanceof UserFacingError).toBe(true);
    expect(isUserFacingError(facing)).toBe(true);
    expect(new Error('x') instanceof UsageError).toBe(false);
    expect(isUsageError(facing)).toBe(false);
    class TooMany extends UsageError {}
    expect(new TooMany('n') instanceof UsageError).toBe(true);
    expect(new UsageError('n') instanceof TooMany).toBe(false);
  });

  it("are answered by the robot as its own: usage and the plain message, not 'Something went wrong'", async () => {
    const plugin = definePlugin({
      name: 'copied',
      setup(api) {
        api.command({
          name: 'strict',
          args: '<n>',
          effect: 'read',
          summary: 'throws the other copy’s errors',
          run: (ctx) => {
            if (ctx.args.n === 'usage') throw new copy.UsageError('n must be a number');
            throw new copy.UserFacingError('That environment is locked.');
          },
        });
      },
    });
    const bot = await createTestBot({ plugins: [plugin] });
    try {
      const [usage] = await bot.say('alice', 'strict usage');
      expect(usage?.card.text).toBe('n must be a number. Usage: strict <n>');
      expect(bot.lastResult?.status).toBe('usage');
      const [facing] = await bot.say('alice', 'strict other');
      expect(facing?.card.text).toBe('That environment is locked.');
      expect(bot.lastResult?.status).toBe('error');
    } finally {
      await bot.close();
    }
  });
});
