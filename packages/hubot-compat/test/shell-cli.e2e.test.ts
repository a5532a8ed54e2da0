import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from './support/compat-bot.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const cli = resolve(packageDir, '../core/bin/chatops.js');
const config = join(FIXTURES, 'chatops.config.yaml');

let stateDir: string;
beforeAll(async () => {
  if (!existsSync(join(packageDir, 'dist/index.js'))) throw new Error('run `pnpm build` first');
  stateDir = await mkdtemp(join(tmpdir(), 'hubot-shell-'));
});
afterAll(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

/** `chatops <args>` on the shell adapter, from this package's folder (where the script packages are installed). */
function chatops(args: string[], input = ''): Promise<{ code: number | null; stdout: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: packageDir,
      env: { ...process.env, STATE_DIR: stateDir, USER: 'bob', CHATOPS_HTTP_PORT: '0' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stdout += chunk;
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout }));
    child.stdin.end(input);
  });
}

async function auditLines(): Promise<Record<string, unknown>[]> {
  const text = await readFile(join(stateDir, 'audit.jsonl'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

describe('Hubot scripts on the shell adapter (chatops run, a child process)', () => {
  it('runs a community script read listener', async () => {
    const result = await chatops(['run', '--config', config, 'ping']);
    expect(result.stdout).toContain('PONG');
    expect(result.code).toBe(0);
  });

  it('runs a TypeScript script (Node strips its types)', async () => {
    const result = await chatops(['run', '--config', config, 'typed']);
    expect(result.stdout).toContain('typed script here');
    expect(result.code).toBe(0);
  });

  it('denies a write listener without a rule (exit 1) and runs it for a granted user, audited', async () => {
    const denied = await chatops(['run', '--config', config, '--as', 'bob', 'deploy web']);
    expect(denied.stdout).toContain(`You can't run "deploy web"`);
    expect(denied.code).toBe(1);
    const allowed = await chatops(['run', '--config', config, '--as', 'alice', 'deploy web']);
    expect(allowed.stdout).toContain('alice: deploying web');
    expect(allowed.code).toBe(0);
    const deploys = (await auditLines()).filter((line) => line['permission'] === 'hubot.deploy.deploy');
    expect(deploys.map((line) => [line['principal'], line['decision'] ?? line['outcome']])).toEqual([
      ['shell:bob', 'denied'],
      ['shell:alice', 'allowed'],
      ['shell:alice', 'ok'],
    ]);
  });

  it('keeps the brain between two runs (the file store)', async () => {
    expect((await chatops(['run', '--config', config, 'remember shell yes'])).stdout).toContain(
      'OK, shell is yes',
    );
    expect((await chatops(['run', '--config', config, 'recall shell'])).stdout).toContain('shell is yes');
  });

  it('runs hubot-rules from the example config', async () => {
    const example = resolve(packageDir, '../../examples/chatops.config.yaml');
    const result = await chatops(['run', '--config', example, 'the rules']);
    expect(result.stdout).toContain('A robot may not harm humanity');
    expect(result.code).toBe(0);
  });

  it('answers piped lines on chatops start, community scripts and help included', async () => {
    const result = await chatops(['start', '--config', config], 'the rules\nhelp\n');
    expect(result.stdout).toContain('A robot may not injure a human being');
    expect(result.stdout).toContain('ping - Reply with pong');
    expect(result.code).toBe(0);
  });
});
