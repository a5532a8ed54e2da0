#!/usr/bin/env node
// The production bundle the container image ships, checked without a container runtime:
// `pnpm deploy --prod` of @chatops/bundle into a temporary directory, then, as an unprivileged user
// (nobody, when this runs as root) with nothing but that directory and a copy of node, run
// `check-config`, `run "help"` and a `start` that must answer 200 on /readyz. A runtime dependency
// missing from a package.json fails here. Usage: node scripts/smoke-bundle.mjs [--keep]
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  cpSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const keep = process.argv.includes('--keep');
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

const dir = mkdtempSync(join(tmpdir(), 'chatops-bundle-'));
chmodSync(dir, 0o755);
const app = join(dir, 'app');

function step(message) {
  process.stdout.write(`ok: ${message}\n`);
}

function fail(message) {
  process.stderr.write(`smoke-bundle: ${message}\n`);
  process.exitCode = 1;
}

/** The environment of the bundle: the container's config, state in the temp dir, nothing else. */
function bundleEnv(port) {
  return {
    PATH: `${join(dir, 'runtime')}:/usr/bin:/bin`,
    HOME: join(dir, 'state'),
    NODE_ENV: 'production',
    CHATOPS_STATE_DIR: join(dir, 'state'),
    CHATOPS_HTTP_HOST: '127.0.0.1',
    CHATOPS_HTTP_PORT: String(port),
  };
}

function spawnOptions(port) {
  return {
    cwd: app,
    env: bundleEnv(port),
    ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
  };
}

const node = () => join(dir, 'runtime', 'node');
const cli = (...args) => [
  join(app, 'bin', 'chatops.js'),
  ...args,
  '--config',
  join(dir, 'etc', 'chatops.config.yaml'),
];

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function deploy() {
  const pnpm = spawnSync(
    'pnpm',
    ['--filter', '@chatops/bundle', 'deploy', '--legacy', '--prod', '--prefer-offline', app],
    { cwd: root, encoding: 'utf8' },
  );
  if (pnpm.status !== 0) throw new Error(`pnpm deploy failed:\n${pnpm.stdout}${pnpm.stderr}`);
  step(`pnpm deploy --prod into ${app}`);
  // A node of our own, so the unprivileged user needs nothing outside this directory.
  mkdirSync(join(dir, 'runtime'));
  try {
    linkSync(process.execPath, node());
  } catch {
    copyFileSync(process.execPath, node());
  }
  chmodSync(node(), 0o755);
  mkdirSync(join(dir, 'etc'));
  cpSync(join(root, 'deploy', 'chatops.config.yaml'), join(dir, 'etc', 'chatops.config.yaml'));
  mkdirSync(join(dir, 'state'), { mode: 0o700 });
  if (asRoot) chownSync(join(dir, 'state'), NOBODY, NOBODY);
}

function runOnce(port, args, expected, env = {}) {
  const options = spawnOptions(port);
  const result = spawnSync(node(), cli(...args), {
    ...options,
    env: { ...options.env, ...env },
    encoding: 'utf8',
  });
  if (result.status !== 0 || !result.stdout.includes(expected)) {
    throw new Error(`chatops ${args.join(' ')} exited ${result.status}:\n${result.stdout}${result.stderr}`);
  }
  step(`chatops ${args.join(' ')}: ${result.stdout.split('\n')[0]}`);
}

async function startAndProbe(port) {
  // stdin stays open (a pipe), so the shell adapter keeps running until SIGTERM.
  const bot = spawn(node(), cli('start'), { ...spawnOptions(port), stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  bot.stdout.on('data', (chunk) => {
    output += chunk;
  });
  bot.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise((resolve) => bot.once('exit', resolve));
  try {
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (bot.exitCode !== null) throw new Error(`chatops start exited ${bot.exitCode}:\n${output}`);
      const status = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (response) => response.status,
        () => 0,
      );
      if (status === 200) break;
      if (Date.now() > deadline) throw new Error(`/readyz did not answer 200 within 20 s:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    step(`chatops start: GET /readyz answered 200${asRoot ? ' (as nobody)' : ''}`);
  } finally {
    bot.kill('SIGTERM');
    const code = await exited;
    if (code !== 0 && code !== null) fail(`chatops start exited ${code} after SIGTERM:\n${output}`);
  }
}

try {
  deploy();
  const port = await freePort();
  runOnce(port, ['check-config'], 'config OK');
  // Each bundled adapter loads and validates its block (no connection is made).
  runOnce(port, ['check-config'], 'adapter slack', {
    CHATOPS_ADAPTER: 'slack',
    SLACK_BOT_TOKEN: 'xoxb-smoke',
    SLACK_APP_TOKEN: 'xapp-smoke',
  });
  runOnce(port, ['check-config'], 'adapter mattermost', {
    CHATOPS_ADAPTER: 'mattermost',
    MATTERMOST_TOKEN: 'smoke',
    MATTERMOST_COMMAND_TOKEN: 'smoke',
  });
  runOnce(port, ['run', 'help'], 'Commands of');
  await startAndProbe(port);
} catch (error) {
  fail(error.message);
} finally {
  if (keep) process.stdout.write(`kept ${dir}\n`);
  else rmSync(dir, { recursive: true, force: true });
}
