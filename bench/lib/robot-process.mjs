import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The `chatops` CLI of the workspace's core package. */
export const CHATOPS_BIN = join(
  dirname(fileURLToPath(import.meta.resolve('@chatops/core'))),
  '..',
  'bin',
  'chatops.js',
);

/** Writes `config` as `chatops.config.json` in `dir`; returns its path. */
export async function writeConfig(dir, config) {
  const path = join(dir, 'chatops.config.json');
  await writeFile(path, `${JSON.stringify(config, null, 2)}\n`);
  return path;
}

/** The bench package: adapters and plugins named in configs resolve from its dependencies. */
const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));

/**
 * Runs `chatops start --config <path>` in a child process, from the bench package's directory. Keeps the tail of its output for error
 * messages; `stop()` sends SIGTERM and waits (bounded) for the exit.
 */
export function startRobot(configPath, { stdin = 'ignore', nodeArgs = [], onStdout, onStderr } = {}) {
  const startedAt = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, CHATOPS_BIN, 'start', '--config', configPath], {
    cwd: BENCH_DIR,
    stdio: [stdin, 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let tail = '';
  const keep = (chunk) => {
    tail = (tail + chunk).slice(-4000);
  };
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    keep(chunk);
    onStdout?.(chunk);
  });
  child.stderr.on('data', (chunk) => {
    keep(chunk);
    onStderr?.(chunk);
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    startedAt,
    exited,
    output: () => tail,
    async stop(timeoutMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

/** Waits until `check()` is true, checking every `everyMs`; rejects after `timeoutMs` with `what`. */
export async function waitFor(check, what, { timeoutMs = 60_000, everyMs = 20 } = {}) {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Resident set size of a process in bytes (Linux /proc), or undefined when it cannot be read. */
export async function rssOf(pid) {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** How many child processes a process has right now (Linux /proc); 0 when it cannot be read. */
export async function childCount(pid) {
  try {
    const tasks = await readdir(`/proc/${pid}/task`);
    let count = 0;
    for (const task of tasks) {
      const children = await readFile(`/proc/${pid}/task/${task}/children`, 'utf8').catch(() => '');
      count += children.split(' ').filter(Boolean).length;
    }
    return count;
  } catch {
    return 0;
  }
}
