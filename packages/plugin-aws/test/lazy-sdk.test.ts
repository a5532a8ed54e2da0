import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsEmulator, startAwsEmulator } from '../src/emulator/index.js';
import { emulatorConfig } from './support/bot.js';

const probe = fileURLToPath(new URL('./fixtures/lazy-sdk-probe.mjs', import.meta.url));
let emulator: AwsEmulator;

beforeAll(async () => {
  emulator = await startAwsEmulator();
});
afterAll(() => emulator.close());

describe('the AWS SDK loads on first use', () => {
  it('is not loaded by starting a robot with the plugin, and is by the first AWS command', async () => {
    // A fresh process, so nothing else has loaded the SDK; it resolves packages as the CLI would.
    const { stdout } = await promisify(execFile)(process.execPath, [probe], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { ...process.env, AWS_PLUGIN_CONFIG: JSON.stringify(emulatorConfig(emulator)) },
    });
    const report = JSON.parse(stdout) as { atStart: number; afterCommand: number; reply: string };
    expect(report.atStart).toBe(0);
    expect(report.afterCommand).toBeGreaterThan(0);
    expect(report.reply).toBe('AWS identities');
  });
});
