import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../../../scripts/smoke-bundle.mjs', import.meta.url));

describe('the production bundle (pnpm deploy --prod)', () => {
  it('checks its config, runs help and becomes ready as an unprivileged user with only the bundle', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [script], { timeout: 90_000 });
    expect(stdout).toMatch(/ok: pnpm deploy --prod/);
    expect(stdout).toMatch(
      /ok: chatops check-config: config OK: .*adapter shell; 3 plugin\(s\): ping, shell, aws/,
    );
    expect(stdout).toMatch(/adapter slack; 3 plugin/);
    expect(stdout).toMatch(/adapter mattermost; 3 plugin/);
    expect(stdout).toMatch(/ok: chatops run help: Commands of opsbot/);
    expect(stdout).toMatch(/ok: chatops start: GET \/readyz answered 200/);
  }, 120_000);
});
