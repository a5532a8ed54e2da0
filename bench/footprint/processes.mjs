import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { probeArgs, probeClient } from '../lib/probe-client.mjs';
import { startRobot, writeConfig } from '../lib/robot-process.mjs';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
const HUBOT_BIN = fileURLToPath(new URL('../node_modules/hubot/bin/Hubot.mjs', import.meta.url));
const HUBOT_SCRIPTS = fileURLToPath(new URL('./hubot-scripts', import.meta.url));
/** Both bots run with the probe: SIGUSR2 → full GC → memory on stderr. */
const NODE_ARGS = probeArgs({ gc: true });

/**
 * The robot as deployed: `chatops start` on the shell adapter, SQLite store, durable audit log, HTTP
 * server, and the example plugins hello, ping, shell and aws, each with a small configuration of its
 * own (one ping target and one shell script, AWS pointed at a closed local port), and a rate limit
 * with room for the 100,000 commands one user sends.
 */
export async function startOurs(dir) {
  await mkdir(dir, { recursive: true });
  const configPath = await writeConfig(dir, {
    name: 'opsbot',
    adapter: 'shell',
    store: { type: 'sqlite', path: '.chatops/state.db' },
    audit: { path: '.chatops/audit.jsonl' },
    http: { host: '127.0.0.1', port: 0 },
    // One user sends 100,000 commands here; the limiter runs, with room for that.
    auth: { roles: { sre: ['shell:*'] }, rateLimit: { burst: 1000, perMinute: 1_000_000 } },
    plugins: {
      [join(EXAMPLES, 'plugins/hello')]: { greeting: 'Hello' },
      '@chatops/plugin-ping': {
        targets: { demo: { url: 'http://127.0.0.1:9/health', timeout: '2s' } },
      },
      '@chatops/plugin-shell': {
        scripts: {
          'disk-usage': {
            description: 'Disk usage',
            command: join(EXAMPLES, 'scripts/disk-usage.sh'),
            params: [{ name: 'host', pattern: '[a-z0-9][a-z0-9.-]*' }],
            effect: 'read',
          },
        },
      },
      '@chatops/plugin-aws': { region: 'us-east-1', endpoint: 'http://127.0.0.1:9' },
    },
  });
  let ready;
  const readyAt = new Promise((resolve) => {
    ready = resolve;
  });
  const probe = probeClient();
  let started = false;
  let head = '';
  const robot = startRobot(configPath, {
    stdin: 'pipe',
    nodeArgs: NODE_ARGS,
    onStderr: (chunk) => {
      probe.read(chunk);
      if (started) return;
      head += chunk;
      if (head.includes('"robot started"')) {
        started = true;
        ready(performance.now());
      }
    },
  });
  return {
    process: robot.child,
    startedAt: robot.startedAt,
    readyAt,
    output: robot.output,
    memory: async () => (await probe.ask(robot.child)).memory,
    stop: robot.stop,
  };
}

/** Hubot 14 on its Shell adapter with the same two commands, HTTP on, from its own bin. */
export function startHubot(dir) {
  const probe = probeClient();
  const startedAt = performance.now();
  const child = spawn(
    process.execPath,
    [...NODE_ARGS, HUBOT_BIN, '--adapter', 'Shell', '--name', 'Hubot', '--require', HUBOT_SCRIPTS],
    {
      cwd: dir,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, EXPRESS_PORT: '0', EXPRESS_BIND_ADDRESS: '127.0.0.1', HUBOT_LOG_LEVEL: 'info' },
    },
  );
  let ready;
  const readyAt = new Promise((resolve) => {
    ready = resolve;
  });
  let tail = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  const keep = (chunk) => {
    tail = (tail + chunk).slice(-4000);
    // The Shell adapter prints its prompt once the scripts have loaded.
    if (tail.includes('Hubot> ')) ready(performance.now());
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', (chunk) => {
    probe.read(chunk);
    keep(chunk);
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    process: child,
    startedAt,
    readyAt,
    output: () => tail,
    memory: async () => (await probe.ask(child)).memory,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
