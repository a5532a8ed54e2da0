import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The README's tour, run as written: the `opsbot>` lines piped into `chatops start` on the example
// config, and the `chatops run` lines of the block after it through a shell.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = join(root, 'packages/core/bin/chatops.js');
const config = join(root, 'examples/chatops.config.yaml');
let env: NodeJS.ProcessEnv;
let stateDir: string;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function tour(): Promise<{ commands: string[]; shown: string[]; shellLines: string[] }> {
  const readme = await readFile(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## A two-minute tour'), readme.indexOf('## The CLI'));
  const textBlock = /```text\n([\s\S]*?)```/.exec(section)![1]!.trim().split('\n');
  const shBlock = /```sh\n([\s\S]*?)```/.exec(section)![1]!.trim().split('\n');
  return {
    commands: textBlock
      .filter((line) => line.startsWith('opsbot> '))
      .map((line) => line.slice(8).split('#')[0]!.trim()),
    shown: textBlock.filter((line) => !line.startsWith('opsbot> ')),
    shellLines: shBlock,
  };
}

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'chatops-tour-'));
  env = {
    ...process.env,
    CHATOPS_STATE_DIR: stateDir,
    CHATOPS_HTTP_PORT: String(await freePort()),
    NO_COLOR: '1',
  };
});
afterAll(() => rm(stateDir, { recursive: true, force: true }));

describe('the README tour on the example config', () => {
  it('answers every opsbot> line as the README shows, none refused or unknown', async () => {
    const { commands, shown } = await tour();
    expect(commands).toEqual(expect.arrayContaining(['help', 'ping UAT', 'audit -n 5', '!1', 'whoami']));
    const bot = spawn(process.execPath, [cli, 'start', '--config', config], { cwd: root, env });
    let output = '';
    bot.stdout.on('data', (chunk) => {
      output += chunk;
    });
    bot.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const exited = new Promise<number | null>((resolve) => bot.once('exit', resolve));
    bot.stdin.end(`${commands.join('\n')}\n`);
    expect(await exited).toBe(0);
    for (const line of shown) expect(output).toContain(line);
    expect(output).toContain('[OK] uat: HEALTHY');
    expect(output).toMatch(/Last \d+ audit entries/);
    expect(output).not.toMatch(/\[FAIL\]|You can't|Unknown|did you mean|"level":(50|40)/);
  });

  it('runs the chatops run lines with the exit codes the README gives', async () => {
    const { shellLines } = await tour();
    const runs = shellLines.filter((line) => line.startsWith('pnpm exec chatops run'));
    expect(runs).toHaveLength(2);
    for (const line of runs) {
      const [command, comment] = line.split('#') as [string, string];
      const expectedCode = Number(/exit (\d)/.exec(comment)![1]);
      const code = await new Promise<number>((resolve) =>
        execFile('sh', ['-c', command], { cwd: root, env }, (error) =>
          resolve(error ? Number((error as { code?: number }).code) : 0),
        ),
      );
      expect(code, command).toBe(expectedCode);
    }
  });
});
