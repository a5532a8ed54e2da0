import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const cli = join(root, 'packages/core/bin/chatops.js');
const probe = fileURLToPath(new URL('./fixtures/start-probe.mjs', import.meta.url));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chatops-start-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Exit {
  code: number | null;
  stderr: string;
}

/**
 * Runs `chatops start` on the shell adapter until it has logged `robot started`, then ends its input
 * (which stops it) and waits for the exit.
 */
function startThenStop(args: string[], env: NodeJS.ProcessEnv): Promise<Exit> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...args], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`no "robot started" within 20 s:\n${stderr}`));
    }, 20_000);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.includes('"robot started"')) child.stdin.end();
    });
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stderr });
    });
  });
}

/** The footprint benchmark's robot: shell adapter, SQLite, audit log, HTTP, hello/ping/shell/aws. */
async function footprintConfig(): Promise<string> {
  const path = join(dir, 'chatops.config.json');
  const config = {
    name: 'opsbot',
    adapter: 'shell',
    store: { type: 'sqlite', path: join(dir, 'state.db') },
    audit: { path: join(dir, 'audit.jsonl') },
    http: { host: '127.0.0.1', port: 0 },
    plugins: {
      [join(root, 'examples/plugins/hello')]: { greeting: 'Hello' },
      '@chatops/plugin-ping': { targets: { demo: { url: 'http://127.0.0.1:9/health', timeout: '2s' } } },
      '@chatops/plugin-shell': {
        scripts: {
          'disk-usage': {
            description: 'Disk usage',
            command: join(root, 'examples/scripts/disk-usage.sh'),
            params: [{ name: 'host', pattern: '[a-z0-9][a-z0-9.-]*' }],
            effect: 'read',
          },
        },
      },
      '@chatops/plugin-aws': { region: 'us-east-1', endpoint: 'http://127.0.0.1:9' },
    },
  };
  await writeFile(path, JSON.stringify(config));
  return path;
}

/** The package a module URL belongs to (`fastify`, `@opentelemetry/api`), if it is in node_modules. */
function packageOf(url: string): string | undefined {
  const inside = url.split('/node_modules/').at(-1);
  if (inside === undefined || inside === url) return undefined;
  const [scope, name] = inside.split('/');
  return scope?.startsWith('@') ? `${scope}/${name}` : scope;
}

describe('chatops start loads only what the config uses', () => {
  it('loads no Redis client, AWS SDK, OpenTelemetry SDK or fetch, and starts no worker thread', async () => {
    const out = join(dir, 'probe.json');
    const config = await footprintConfig();
    const exit = await startThenStop(['--import', probe, cli, 'start', '--config', config], {
      START_PROBE_OUT: out,
    });
    expect(exit.code, exit.stderr).toBe(0);
    const report = JSON.parse(await readFile(out, 'utf8')) as {
      modules: string[];
      workers: number;
      builtins: string[];
      newSpaceBytes: number;
    };
    const loaded = (part: string) => report.modules.filter((url) => url.includes(part));
    // The recorder sees what the robot does load: the store, the plugins, their dependencies.
    expect(report.builtins).toContain('NativeModule sqlite');
    expect(loaded('/plugin-aws/dist/')).not.toHaveLength(0);
    expect(loaded('/node_modules/zod/')).not.toHaveLength(0);
    // Core comes as a bundle (rolldown.config.mjs): a few files of its own, and of the packages it
    // uses only zod (shared with the plugins) and what fastify, pino and prom-client require at
    // run time (Node's CommonJS loader, not the bundle, resolves those few).
    expect(loaded('/core/dist/').length).toBeLessThan(20);
    expect(loaded('/core/.build/')).toEqual([]);
    // Of the CLI, only `start` (each subcommand is a chunk of its own, named after its module).
    expect(loaded('/start-command-')).toHaveLength(1);
    for (const other of [
      '/run-command-',
      '/config-commands-',
      '/audit-commands-',
      '/init-command-',
      '/new-plugin-command-',
    ])
      expect(loaded(other), other).toEqual([]);
    const packages = new Set(
      report.modules.map(packageOf).filter((name) => name !== undefined && name !== 'zod'),
    );
    expect([...packages]).toEqual([]);
    expect(loaded('/node_modules/ioredis/')).toEqual([]);
    expect(loaded('/node_modules/@aws-sdk/')).toEqual([]);
    expect(loaded('/node_modules/@opentelemetry/sdk-trace')).toEqual([]);
    expect(loaded('/node_modules/@opentelemetry/exporter-trace-otlp-http')).toEqual([]);
    // prom-client requires the OpenTelemetry API (CommonJS); the tracing helpers' ES-module import
    // of it waits until traces are exported.
    expect(loaded('/node_modules/@opentelemetry/').filter((url) => url.endsWith('.mjs'))).toEqual([]);
    // Importing node:http from an ES module loads Node's fetch (undici); the ping plugin does not.
    expect(report.builtins.filter((name) => name.includes('undici'))).toEqual([]);
    // Logging JSON to stderr: pino writes in-process, no transport thread.
    expect(report.workers).toBe(0);
    // The young generation was held while the robot loaded and started (cli/young-generation.ts):
    // left to grow, V8 takes it to 16 MB or more on this start.
    expect(report.newSpaceBytes).toBeLessThanOrEqual(8 * 1024 * 1024);
    // The bundle is ASCII, so V8 keeps its source one byte per character.
    for (const url of loaded('/core/dist/')) {
      expect(/[\u0080-\u00ff]/.test(await readFile(fileURLToPath(url), 'latin1')), url).toBe(false);
    }
  });

  it('keeps compiled code in the compile cache under the temp directory', async () => {
    const temp = await mkdtemp(join(dir, 'tmp-'));
    const config = await footprintConfig();
    const env = { TMPDIR: temp, NODE_COMPILE_CACHE: undefined, NODE_DISABLE_COMPILE_CACHE: undefined };
    const exit = await startThenStop([cli, 'start', '--config', config], env);
    expect(exit.code, exit.stderr).toBe(0);
    const cache = await readdir(join(temp, 'node-compile-cache'), { recursive: true });
    expect(cache.length).toBeGreaterThan(0);
  });

  it('starts with the compile cache off when its directory cannot be created', async () => {
    // A temp directory under a regular file: the cache directory cannot exist there.
    const file = join(dir, 'not-a-directory');
    await writeFile(file, '');
    const config = await footprintConfig();
    const env = { TMPDIR: file, NODE_COMPILE_CACHE: undefined, NODE_DISABLE_COMPILE_CACHE: undefined };
    const exit = await startThenStop([cli, 'start', '--config', config], env);
    expect(exit.code, exit.stderr).toBe(0);
    expect(exit.stderr).toContain('"robot started"');
  });
});
