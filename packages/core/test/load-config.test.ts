// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests write literal ${VAR} placeholders.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config/config-error.js';
import { loadConfig } from '../src/config/load-config.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'chatops-config-'));
  // Stops the upward search at the test directory.
  await writeFile(path.join(dir, 'package.json'), '{"name":"fixture"}');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, text: string): Promise<string> {
  const file = path.join(dir, name);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  return file;
}

async function errorOf(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('loadConfig: finding the file', () => {
  it('uses all defaults when no file is found', async () => {
    const loaded = await loadConfig({ cwd: dir, env: {} });
    expect(loaded.filepath).toBeUndefined();
    expect(loaded.dir).toBe(dir);
    expect(loaded.config.name).toBe('opsbot');
    expect(loaded.config.adapter).toBe('shell');
    expect(loaded.config.store).toEqual({ type: 'sqlite', path: path.join(dir, '.chatops/state.db') });
    expect(loaded.config.audit.path).toBe(path.join(dir, '.chatops/audit.jsonl'));
    expect(loaded.raw).toEqual({});
  });

  it.each([
    ['chatops.config.yaml', 'name: yamlbot\n'],
    ['chatops.config.yml', 'name: ymlbot\n'],
    ['chatops.config.json', '{"name":"jsonbot"}'],
    ['chatops.config.mjs', 'export default { name: "mjsbot" };'],
    ['chatops.config.cjs', 'module.exports = { name: "cjsbot" };'],
    ['.chatopsrc', 'name: rcbot\n'],
    ['.chatopsrc.json', '{"name":"rcjsonbot"}'],
    ['.chatopsrc.yaml', 'name: rcyamlbot\n'],
  ])('finds %s', async (file, text) => {
    const filepath = await write(file, text);
    const loaded = await loadConfig({ cwd: dir, env: {} });
    expect(loaded.filepath).toBe(filepath);
    expect(loaded.config.name).toMatch(/bot$/);
  });

  it('reads the chatops key of package.json', async () => {
    await write('package.json', JSON.stringify({ name: 'fixture', chatops: { name: 'pkgbot' } }));
    const loaded = await loadConfig({ cwd: dir, env: {} });
    expect(loaded.config.name).toBe('pkgbot');
    expect(loaded.filepath).toBe(path.join(dir, 'package.json'));
  });

  it('searches up to the project root from a subdirectory', async () => {
    await write('chatops.config.yaml', 'name: rootbot\n');
    const sub = path.join(dir, 'src', 'deep');
    await mkdir(sub, { recursive: true });
    const loaded = await loadConfig({ cwd: sub, env: {} });
    expect(loaded.config.name).toBe('rootbot');
    expect(loaded.dir).toBe(dir);
  });

  it('loads exactly the file given as configPath, relative to cwd', async () => {
    await write('chatops.config.yaml', 'name: searched\n');
    await write('conf/other.yaml', 'name: chosen\nstore: { type: sqlite, path: data/state.db }\n');
    const loaded = await loadConfig({ cwd: dir, configPath: 'conf/other.yaml', env: {} });
    expect(loaded.config.name).toBe('chosen');
    expect(loaded.dir).toBe(path.join(dir, 'conf'));
    expect(loaded.config.store).toEqual({ type: 'sqlite', path: path.join(dir, 'conf/data/state.db') });
    expect(loaded.config.audit.path).toBe(path.join(dir, 'conf/.chatops/audit.jsonl'));
  });

  it('keeps absolute store and audit paths', async () => {
    await write(
      'chatops.config.yaml',
      'store: { type: sqlite, path: /var/lib/bot.db }\naudit: { path: /var/log/a.jsonl }\n',
    );
    const { config } = await loadConfig({ cwd: dir, env: {} });
    expect(config.store).toEqual({ type: 'sqlite', path: '/var/lib/bot.db' });
    expect(config.audit.path).toBe('/var/log/a.jsonl');
  });

  it('treats an empty file as all defaults', async () => {
    await write('chatops.config.yaml', '');
    const loaded = await loadConfig({ cwd: dir, env: {} });
    expect(loaded.config.name).toBe('opsbot');
  });

  it('fails clearly when configPath does not exist', async () => {
    const error = await errorOf(loadConfig({ cwd: dir, configPath: 'missing.yaml', env: {} }));
    expect(error.message).toBe('config error: file not found: missing.yaml');
  });

  it('reports a YAML syntax error in one line naming the file, without its contents', async () => {
    await write('chatops.config.yaml', 'secret: [s3cr3t-value\n  store: x\n');
    const error = await errorOf(loadConfig({ cwd: dir, env: {} }));
    expect(error.message).toBe(
      'config error in chatops.config.yaml: missed comma between flow collection entries (2:8)',
    );
  });

  it('reports a JSON syntax error without quoting the input', async () => {
    await write('bot.json', '{"secret": "s3cr3t-value",, }');
    const error = await errorOf(loadConfig({ cwd: dir, configPath: 'bot.json', env: {} }));
    // The parser's wording changes between V8 versions; what matters is the file, the place of the
    // error, and that the input itself is never echoed.
    expect(error.message).toMatch(/^config error in bot\.json: .*\bposition 26\b/);
    expect(error.message).not.toContain('s3cr3t');
    expect(error.message).not.toContain(',, }');
  });

  it('reports an error thrown by a JavaScript config', async () => {
    await write('bot.mjs', 'throw new Error("cannot compute settings");');
    const error = await errorOf(loadConfig({ cwd: dir, configPath: 'bot.mjs', env: {} }));
    expect(error.message).toBe('config error in bot.mjs: cannot compute settings');
  });

  it('rejects a file type it cannot read', async () => {
    await write('bot.conf', 'name=x');
    const error = await errorOf(loadConfig({ cwd: dir, configPath: 'bot.conf', env: {} }));
    expect(error.message).toBe('config error in bot.conf: No loader specified for extension ".conf"');
  });

  it('rejects a file that is not an object of settings', async () => {
    await write('chatops.config.yaml', '- a\n- b\n');
    const error = await errorOf(loadConfig({ cwd: dir, env: {} }));
    expect(error.message).toBe(
      'config error in chatops.config.yaml: the file must contain an object of settings',
    );
  });
});

describe('loadConfig: interpolation and overrides', () => {
  it('fills ${VAR} and ${VAR:-default} from env', async () => {
    await write(
      'chatops.config.yaml',
      'adapter: slack\nslack: { botToken: "${SLACK_BOT_TOKEN}", apiUrl: "${SLACK_API:-https://slack.com/api/}" }\n',
    );
    const loaded = await loadConfig({ cwd: dir, env: { SLACK_BOT_TOKEN: 'xoxb-1' } });
    expect(loaded.config.slack).toEqual({ botToken: 'xoxb-1', apiUrl: 'https://slack.com/api/' });
    expect(loaded.raw['slack']).toEqual({ botToken: 'xoxb-1', apiUrl: 'https://slack.com/api/' });
  });

  it('names the file, key and variable when a variable is missing', async () => {
    await write('chatops.config.yaml', 'adapter: slack\nslack: { botToken: "${SLACK_BOT_TOKEN}" }\n');
    const error = await errorOf(loadConfig({ cwd: dir, env: {} }));
    expect(error.message).toBe(
      'config error in chatops.config.yaml: slack.botToken: environment variable SLACK_BOT_TOKEN is not set',
    );
  });

  it('applies overrides over the file, ignoring undefined ones', async () => {
    await write('chatops.config.yaml', 'name: filebot\nadapter: slack\nslack: {}\n');
    const loaded = await loadConfig({ cwd: dir, env: {}, overrides: { adapter: 'shell', name: undefined } });
    expect(loaded.config.adapter).toBe('shell');
    expect(loaded.config.name).toBe('filebot');
  });
});

describe('loadConfig: validation', () => {
  async function messageFor(yaml: string): Promise<string> {
    await write('chatops.config.yaml', yaml);
    return (await errorOf(loadConfig({ cwd: dir, env: {} }))).message;
  }

  it.each([
    ['timeout: forever', 'timeout: "forever" is not a duration (try 500ms, 30s, 5m, 1h, 7d)'],
    ['timeout: 0', 'timeout: must be more than 0'],
    ['actions: { ttl: "-5m" }', 'actions.ttl: "-5m" is negative; a duration must be positive'],
    ['actions: { ttl: 0 }', 'actions.ttl: must be more than 0'],
    [
      'auth: { rules: [{ allow: x, roles: [a], approval: { roles: [b], ttl: banana } }] }',
      'auth.rules[0].approval.ttl: "banana" is not a duration (try 500ms, 30s, 5m, 1h, 7d)',
    ],
    [
      'auth: { rules: [{ allow: x, roles: [a], approval: { roles: [b], ttl: 0 } }] }',
      'auth.rules[0].approval.ttl: must be more than 0',
    ],
  ])('refuses a bad duration (%s), naming the key (finding 15)', async (yaml, message) => {
    expect(await messageFor(`${yaml}\n`)).toBe(`config error in chatops.config.yaml: ${message}`);
  });

  it('refuses a timeout longer than a timer can wait', async () => {
    expect(await messageFor('timeout: 30d\n')).toMatch(
      /^config error in chatops.config.yaml: timeout: "30d" is too long \(at most .+\)$/,
    );
  });

  it('reads durations as milliseconds and accepts shutdownTimeout: 0', async () => {
    await write('chatops.config.yaml', 'timeout: 90s\nshutdownTimeout: 0\nactions: { ttl: 2h }\n');
    const { config } = await loadConfig({ cwd: dir, env: {} });
    expect([config.timeout, config.shutdownTimeout, config.actions.ttl]).toEqual([90_000, 0, 7_200_000]);
  });

  it('reports a recursive YAML alias as a config error naming the key (finding 16)', async () => {
    expect(await messageFor('notifications: &loop\n  ops: *loop\n')).toBe(
      'config error in chatops.config.yaml: notifications.ops: contains itself (a recursive YAML alias)',
    );
  });

  it('names the key of a wrong type', async () => {
    expect(await messageFor('audit: { fsync: "yes" }\n')).toBe(
      'config error in chatops.config.yaml: audit.fsync: expected boolean, received string',
    );
  });

  it('suggests the closest top-level key for a typo', async () => {
    expect(await messageFor('audti: { fsync: true }\n')).toBe(
      'config error in chatops.config.yaml: unknown key "audti" (did you mean "audit"?)',
    );
  });

  it('suggests the closest nested key for a typo', async () => {
    expect(await messageFor('audit: { fsyn: true }\n')).toBe(
      'config error in chatops.config.yaml: audit: unknown key "fsyn" (did you mean "fsync"?)',
    );
    expect(await messageFor('store: { type: sqlite, pth: x }\n')).toBe(
      'config error in chatops.config.yaml: store: unknown key "pth" (did you mean "path"?)',
    );
  });

  it('gives no suggestion when nothing is close', async () => {
    expect(await messageFor('zzzzzzzz: 1\n')).toBe(
      'config error in chatops.config.yaml: unknown key "zzzzzzzz"',
    );
  });

  it('allows the block of the configured adapter, by name or package short name', async () => {
    await write('chatops.config.yaml', 'adapter: teams\nteams: { url: x }\n');
    expect((await loadConfig({ cwd: dir, env: {} })).raw['teams']).toEqual({ url: 'x' });
    await write('chatops.config.yaml', 'adapter: "@acme/chatops-adapter-teams"\nteams: { url: x }\n');
    expect((await loadConfig({ cwd: dir, env: {} })).config.adapter).toBe('@acme/chatops-adapter-teams');
    expect(await messageFor('adapter: shell\nteams: { url: x }\n')).toBe(
      'config error in chatops.config.yaml: unknown key "teams"',
    );
  });

  it('still allows the file adapter block when --adapter overrides it', async () => {
    await write('chatops.config.yaml', 'adapter: teams\nteams: { url: x }\n');
    const loaded = await loadConfig({ cwd: dir, env: {}, overrides: { adapter: 'shell' } });
    expect(loaded.config.adapter).toBe('shell');
    expect(loaded.raw['teams']).toEqual({ url: 'x' });
  });

  it('names array positions and missing keys', async () => {
    expect(await messageFor('auth: { rules: [ { allow: "a.*", roles: [x] }, { allow: "b" } ] }\n')).toBe(
      'config error in chatops.config.yaml: auth.rules[1].roles: required (expected array)',
    );
  });

  it('reports the matching branch of a union', async () => {
    expect(await messageFor('auth: { rateLimit: { burst: "x" } }\n')).toBe(
      'config error in chatops.config.yaml: auth.rateLimit.burst: expected number, received string',
    );
    expect(await messageFor('auth: { rules: [ { allow: 5, roles: [a] } ] }\n')).toBe(
      'config error in chatops.config.yaml: auth.rules[0].allow: expected string or array, received number',
    );
    expect(await messageFor('store: { type: file }\n')).toBe(
      'config error in chatops.config.yaml: store.type: expected one of "memory" | "sqlite" | "redis"',
    );
  });

  it('describes enum, range and format errors without the value', async () => {
    expect(await messageFor('log: { level: loud }\n')).toMatch(/: log\.level: expected one of "trace"/);
    expect(await messageFor('http: { port: 99999 }\n')).toBe(
      'config error in chatops.config.yaml: http.port: expected number to be <=65535',
    );
    const secret = await messageFor('secret: hunter2\n');
    expect(secret).toBe('config error in chatops.config.yaml: secret: at least 16 characters');
  });

  it('refuses the retired `local` platform of the shell adapter with the fix', async () => {
    expect(await messageFor('auth: { roles: { sre: ["shell:*", "local:alice"] } }\n')).toBe(
      'config error in chatops.config.yaml: auth.roles.sre[1]: "local:alice": the shell adapter\'s users are now shell:<name>; write "shell:alice"',
    );
    expect(await messageFor('notifications: { ops: { slack: "#ops", local: ops } }\n')).toBe(
      'config error in chatops.config.yaml: notifications.ops.local: routes for the shell adapter are keyed "shell" now; rename the "local" key',
    );
  });

  it('counts further problems in the same line', async () => {
    const message = await messageFor('audit: { fsync: "yes", enabled: "no" }\n');
    expect(message).toMatch(
      /^config error in chatops\.config\.yaml: audit\.\w+: expected boolean, received string \(and 1 more\)$/,
    );
  });
});
