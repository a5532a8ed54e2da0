import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { afterEach, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = join(root, 'packages/core/bin/chatops.js');
const dirs: string[] = [];
afterEach(() => Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true }))));

function chatops(
  args: string[],
  options: { input?: string; env?: Record<string, string> } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [cli, ...args],
      { cwd: root, env: { ...process.env, ...options.env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
    child.stdin!.end(options.input ?? '');
  });
}

/** Variables a config uses, outside comments. */
function variablesOf(config: string): string[] {
  const code = config
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n');
  return [...new Set([...code.matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map((match) => match[1]!))];
}

const SAMPLE_VALUES: Record<string, string> = {
  SLACK_BOT_TOKEN: 'xoxb-1-2-sample',
  SLACK_APP_TOKEN: 'xapp-1-sample',
  MATTERMOST_URL: 'https://chat.example.com',
};

/** Fills every variable .env.example lists as required with a plausible value. */
function envFrom(example: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [, name] of example.matchAll(/^([A-Z_][A-Z0-9_]*)=$/gm)) {
    env[name!] = SAMPLE_VALUES[name!] ?? `${name!.toLowerCase()}-value`;
  }
  return env;
}

async function init(args: string[], input = '') {
  const dir = await mkdtemp(join(tmpdir(), 'chatops-init-'));
  dirs.push(dir);
  const result = await chatops(['init', '--dir', dir, ...args], { input });
  const read = (name: string) => readFile(join(dir, name), 'utf8');
  return { dir, result, read };
}

describe('chatops init', () => {
  it('asks for the platform, name and Slack mode, and writes a config that checks with .env.example filled in', async () => {
    const { dir, result, read } = await init([], 'slack\nchatbot\nhttp\nhttps://bot.acme.test\n');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Platform (shell, slack, mattermost)? [shell]');
    expect(result.stdout).toContain('slack-app-manifest.yaml');
    const config = await read('chatops.config.yaml');
    expect(config.split('\n')[0]).toBe('# yaml-language-server: $schema=./chatops.schema.json');
    expect(config).toContain('name: chatbot');
    expect(config).toContain('adapter: slack');
    expect(config).toMatch(/^\s*# /m);
    const example = await read('.env.example');
    const listed = [...example.matchAll(/^#? ?([A-Z_][A-Z0-9_]*)=/gm)].map((match) => match[1]);
    expect(listed.sort()).toEqual(variablesOf(config).sort());
    expect(listed).toContain('SLACK_SIGNING_SECRET');

    const manifest = load(await read('slack-app-manifest.yaml')) as {
      features: { slash_commands: { command: string; url: string }[] };
      settings: { socket_mode_enabled: boolean; event_subscriptions: { request_url: string } };
    };
    expect(manifest.features.slash_commands[0]).toMatchObject({
      command: '/chatbot',
      url: 'https://bot.acme.test/slack/commands',
    });
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    expect(manifest.settings.event_subscriptions.request_url).toBe('https://bot.acme.test/slack/events');

    const check = await chatops(['check-config', '--config', join(dir, 'chatops.config.yaml')], {
      env: envFrom(example),
    });
    expect(check.stderr).toBe('');
    expect(check.stdout).toMatch(/config OK: .*adapter slack; 1 plugin\(s\): ping/);
  });

  it('takes flags for Mattermost and writes its set-up steps', async () => {
    const { dir, result, read } = await init([
      '--platform',
      'mattermost',
      '--name',
      'opsbot',
      '--public-url',
      'https://bot.internal:8080',
      '--yes',
    ]);
    expect(result.code).toBe(0);
    const steps = await read('MATTERMOST-SETUP.md');
    expect(steps).toContain('request URL `https://bot.internal:8080/mattermost/command`');
    expect(steps).toContain('MATTERMOST_COMMAND_TOKEN');
    const example = await read('.env.example');
    expect(example).toMatch(/^MATTERMOST_TOKEN=$/m);
    const check = await chatops(['check-config', '--config', join(dir, 'chatops.config.yaml')], {
      env: envFrom(example),
    });
    expect(check.stdout).toMatch(/adapter mattermost/);
  });

  it('writes a shell config with defaults when input ends, and never replaces a file without --force', async () => {
    const { dir, result } = await init([]);
    expect(result.code).toBe(0);
    expect(await readFile(join(dir, 'chatops.config.yaml'), 'utf8')).toContain('adapter: shell');
    const again = await chatops(['init', '--dir', dir, '--yes']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/chatops\.config\.yaml exists \(use --force to replace it\)/);
    const forced = await chatops(['init', '--dir', dir, '--yes', '--force', '--name', 'other']);
    expect(forced.code).toBe(0);
    expect(await readFile(join(dir, 'chatops.config.yaml'), 'utf8')).toContain('name: other');
  });

  it('writes the same scopes and events as the example Slack manifest', async () => {
    const { result, read } = await init(['--yes', '--platform', 'slack', '--name', 'opsbot']);
    expect(result.code).toBe(0);
    type Manifest = {
      oauth_config: { scopes: { bot: string[] } };
      settings: { event_subscriptions: { bot_events: string[] }; socket_mode_enabled: boolean };
    };
    const written = load(await read('slack-app-manifest.yaml')) as Manifest;
    const example = load(await readFile(join(root, 'examples/slack/manifest.yaml'), 'utf8')) as Manifest;
    expect(written.oauth_config.scopes.bot).toEqual(example.oauth_config.scopes.bot);
    expect(written.settings.event_subscriptions.bot_events).toEqual(
      example.settings.event_subscriptions.bot_events,
    );
    expect(written.settings.socket_mode_enabled).toBe(true);
  });

  it('names a wrong answer and exits 2', async () => {
    const { result } = await init(['--yes', '--platform', 'shell', '--name', 'bad name']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('bot name "bad name": letters, digits');
  });
});
