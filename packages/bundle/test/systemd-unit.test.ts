import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const unitPath = fileURLToPath(new URL('../../../examples/systemd/chatops.service', import.meta.url));
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chatops-unit-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/**
 * `systemd-analyze verify` on a copy of the unit (ExecStart pointed at this machine's node, since
 * verify checks that the binary exists). It exits 0 on unknown keys and bad values and only warns on
 * stderr, so both count.
 */
async function verify(unit: string): Promise<{ code: number; stderr: string }> {
  const file = join(dir, 'chatops.service');
  await writeFile(file, unit.replace('/usr/bin/node', process.execPath));
  try {
    const { stderr } = await promisify(execFile)('systemd-analyze', ['verify', file]);
    return { code: 0, stderr };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, stderr: failed.stderr };
  }
}

describe('examples/systemd/chatops.service', () => {
  it('passes systemd-analyze verify without a warning', async () => {
    const result = await verify(await readFile(unitPath, 'utf8'));
    expect(result).toEqual({ code: 0, stderr: '' });
  });

  it('is hardened: dedicated user, read-only system, writable state only, tokens from a file', async () => {
    const unit = await readFile(unitPath, 'utf8');
    for (const line of [
      'User=chatops',
      'ProtectSystem=strict',
      'ReadWritePaths=/var/lib/chatops',
      'NoNewPrivileges=yes',
      'Restart=on-failure',
      'EnvironmentFile=/etc/chatops/chatops.env',
    ]) {
      expect(unit.split('\n')).toContain(line);
    }
  });

  it('would catch a misspelled directive (the check is not vacuous)', async () => {
    const unit = (await readFile(unitPath, 'utf8')).replace(
      'ProtectSystem=strict',
      'ProtectSystem=strictest',
    );
    const result = await verify(unit);
    expect(result.stderr).toContain('Failed to parse protect system value');
  });
});
