import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const cli = join(root, 'packages/core/bin/chatops.js');
const example = join(root, 'examples/chatops.config.yaml');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function chatops(args: string[], input?: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: root,
      env: { ...process.env, CHATOPS_HTTP_PORT: '0', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chatops-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function config(name: string, yaml: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, yaml);
  return path;
}

describe('chatops CLI', () => {
  it('run: prints the plugin reply and exits 0', async () => {
    const result = await chatops(['run', '--config', example, 'hello world --loud']);
    expect(result.stdout).toContain('HELLO, WORLD!');
    expect(result.code).toBe(0);
  });

  it('run: an unknown command exits 1 with a suggestion', async () => {
    const result = await chatops(['run', '--config', example, 'helo world']);
    expect(result.stdout).toContain('Did you mean `hello`');
    expect(result.code).toBe(1);
  });

  it('run: bad arguments exit 2 with the usage', async () => {
    const result = await chatops(['run', '--config', example, 'hello']);
    expect(result.stdout).toContain('Usage: hello <name>');
    expect(result.code).toBe(2);
  });

  it('a config with a typo in a key exits 2 naming that key', async () => {
    const path = await config('typo.yaml', 'name: opsbot\naudti: { path: x }\n');
    const result = await chatops(['run', '--config', path, 'help']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('audti');
    expect(result.stderr).toContain('did you mean "audit"');
  });

  it('a missing environment variable exits 2 naming the key and variable', async () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the config syntax under test
    const path = await config('env.yaml', 'name: "${CHATOPS_TEST_UNSET_NAME}"\n');
    const result = await chatops(['check-config', '--config', path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('name: environment variable CHATOPS_TEST_UNSET_NAME is not set');
  });

  it('check-config accepts the example and schema prints JSON Schema', async () => {
    const checked = await chatops(['check-config', '--config', example]);
    expect(checked.code).toBe(0);
    expect(checked.stdout).toContain('config OK');
    const schema = await chatops(['schema']);
    expect(schema.code).toBe(0);
    expect(JSON.parse(schema.stdout).properties.adapter).toBeDefined();
  });

  it('start on the shell adapter handles piped stdin line by line and exits at EOF', async () => {
    const path = await config(
      'shell.yaml',
      `name: opsbot\nstore: { type: memory }\naudit: { enabled: false }\nplugins:\n  ${JSON.stringify(join(root, 'examples/plugins/hello'))}: {}\n`,
    );
    const result = await chatops(['start', '--config', path], 'help\nhello there\n!1\nwhoami\n');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Commands of opsbot');
    expect(result.stdout).toContain('Hello, there!');
    expect(result.stdout).toContain('[!1 Wave back]');
    // The clicked card keeps its title and text and gains the outcome.
    expect(result.stdout).toMatch(/\(updated message \d+\) .*Greeting[\s\S]*Hello, there![\s\S]*waves back/);
    expect(result.stdout).toContain('Principal: shell:');
  });

  it('--help works on every command', async () => {
    for (const command of [
      [],
      ['start'],
      ['run'],
      ['check-config'],
      ['schema'],
      ['audit'],
      ['audit', 'verify'],
    ]) {
      const result = await chatops([...command, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Usage: chatops');
    }
  });

  it('help lists every command, and a misspelt command is matched against all of them', async () => {
    const help = await chatops(['--help']);
    const commands = help.stdout.slice(help.stdout.indexOf('Commands:'));
    const listed = [...commands.matchAll(/^ {2}([a-z-]+)/gm)].map((match) => match[1]);
    expect(listed).toEqual(['start', 'run', 'check-config', 'schema', 'audit', 'init', 'new', 'help']);
    const typo = await chatops(['chek-config']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('(Did you mean check-config?)');
  });

  it('SIGTERM stops a running bot cleanly', async () => {
    const path = await config(
      'stay.yaml',
      'name: opsbot\nstore: { type: memory }\naudit: { enabled: false }\n',
    );
    const child = spawn(process.execPath, [cli, 'start', '--config', path], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    const started = new Promise<void>((ready) => {
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
        if (stderr.includes('robot started')) ready();
      });
    });
    await started;
    const closed = new Promise<number | null>((done) => child.on('close', done));
    child.kill('SIGTERM');
    expect(await closed).toBe(0);
    expect(stderr).toContain('robot stopped');
  });
});

describe('examples', () => {
  it('the package bin runs through pnpm exec', async () => {
    const result = await new Promise<Run>((done) =>
      execFile('pnpm', ['exec', 'chatops', '--version'], { cwd: root }, (error, stdout, stderr) =>
        done({ code: error ? 1 : 0, stdout, stderr }),
      ),
    );
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('check-config and plugins', () => {
  const hello = join(root, 'examples/plugins/hello');
  const helloKey = `plugins[${JSON.stringify(hello)}]`;

  it('names the plugin and key of a bad plugin config and exits 2', async () => {
    const path = await config('bad-plugin.yaml', `plugins:\n  ${JSON.stringify(hello)}: { greeting: 5 }\n`);
    const result = await chatops(['check-config', '--config', path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${helloKey}.greeting`);
  });

  it.each([
    ['start', []],
    ['run', ['hello world']],
  ])('%s stops with exit 2 naming the key when a plugin block is invalid', async (command, extra) => {
    const path = await config(
      `bad-plugin-${command}.yaml`,
      `plugins:\n  ${JSON.stringify(hello)}: { greeting: 5 }\n`,
    );
    const result = await chatops([command, '--config', path, ...extra], 'hello world\n');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`chatops: config error: ${helloKey}.greeting`);
    expect(result.stdout).not.toContain('Unknown command');
  });

  it.each([
    ['timeout: forever\n', 'timeout: "forever" is not a duration'],
    ['notifications: &loop\n  ops: *loop\n', 'notifications.ops: contains itself (a recursive YAML alias)'],
  ])('check-config and start exit 2 on a bad value (%j)', async (yaml, message) => {
    const path = await config(`bad-value-${yaml.length}.yaml`, yaml);
    for (const command of ['check-config', 'start']) {
      const result = await chatops([command, '--config', path]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('a mistyped plugin path is a one-line config error naming the key and the path tried (exit 2)', async () => {
    const path = await config('missing-plugin.yaml', 'plugins:\n  ./nowhere/plugin.js: {}\n');
    const result = await chatops(['check-config', '--config', path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `chatops: config error: plugins["./nowhere/plugin.js"]: no module at ${join(dir, 'nowhere/plugin.js')}\n`,
    );
  });

  it('a plugin package that is not installed is a config error naming the key (exit 2)', async () => {
    const path = await config('missing-package.yaml', 'plugins:\n  chatops-plugin-nowhere: {}\n');
    const result = await chatops(['check-config', '--config', path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^chatops: config error: plugins\.chatops-plugin-nowhere: cannot find package "chatops-plugin-nowhere" from .* \(is it installed\?\)\n$/,
    );
  });
});

describe('start-up failures', () => {
  it('a failed start exits 1 with one line and releases the HTTP port (no hang)', async () => {
    await writeFile(
      join(dir, 'broken-adapter.mjs'),
      `export default {
        name: 'broken',
        create: () => ({
          platform: 'broken',
          start: async () => { throw new Error('invalid_auth: the token was refused'); },
          stop: async () => {},
          isReady: () => false,
          send: async () => undefined,
          update: async () => {},
        }),
      };\n`,
    );
    const path = await config(
      'broken.yaml',
      'adapter: ./broken-adapter.mjs\nstore: { type: memory }\naudit: { enabled: false }\nhttp: { port: 0 }\n',
    );
    const result = await chatops(['start', '--config', path]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('chatops: invalid_auth: the token was refused');
  });

  it('check-config validates the adapter block and names its key', async () => {
    const path = await config('slack.yaml', 'adapter: slack\nslack: { botToken: 5 }\n');
    const result = await chatops(['check-config', '--config', path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('slack.botToken');
  });
});
