import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../src/internal.js';

const cli = fileURLToPath(new URL('../bin/chatops.js', import.meta.url));
const plugin = fileURLToPath(new URL('./fixtures/security-cli-plugin.mjs', import.meta.url));
const SLACK_TOKEN = 'xoxb-1234567890-0987654321-AbCdEfGhIjKl';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/chatops.js …` as a child process (bounded by a timeout) and collects its output. */
function chatops(...args: string[]): Promise<Run> {
  return chatopsWithInput(undefined, ...args);
}

/** The same, with `input` piped to its stdin (then closed), as a user typing line by line. */
function chatopsWithInput(input: string | undefined, ...args: string[]): Promise<Run> {
  return new Promise((done, fail) => {
    const child = execFile(
      process.execPath,
      [cli, ...args],
      { timeout: 15_000, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') return fail(error);
        done({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin!.end(input);
  });
}

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A config in a fresh directory: file store and audit log there, the test plugin, roles and rules. */
async function botDirectory(): Promise<{ config: string; auditPath: string; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'chatops-security-cli-'));
  dirs.push(dir);
  const config = join(dir, 'chatops.config.yaml');
  await writeFile(
    config,
    [
      'name: opsbot',
      'store: { type: sqlite, path: state.db }',
      'audit: { path: audit.jsonl }',
      'log: { level: silent }',
      'auth:',
      '  roles: { sre: ["shell:alice"], shell: ["shell:*"], admin: ["shell:carol"] }',
      '  rules:',
      '    - { allow: "ops.restart", roles: [sre], args: { target: [uat, staging] } }',
      '    - { allow: "ops.deploy", roles: [shell], approval: { roles: [admin], count: 1, ttl: 15m } }',
      'plugins:',
      `  ${JSON.stringify(plugin)}: {}`,
      '',
    ].join('\n'),
  );
  return { config, auditPath: join(dir, 'audit.jsonl'), dir };
}

async function auditRecords(auditPath: string): Promise<AuditRecord[]> {
  return (await readFile(auditPath, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AuditRecord);
}

/** A copy of the audit log with its lines changed by `edit`; returns the copy's path. */
async function editedCopy(
  auditPath: string,
  name: string,
  edit: (lines: string[]) => string[],
): Promise<string> {
  const lines = (await readFile(auditPath, 'utf8')).split('\n').filter(Boolean);
  const path = join(dirname(auditPath), name);
  await writeFile(path, `${edit(lines).join('\n')}\n`);
  return path;
}

describe('chatops run: authorization through the whole pipeline', () => {
  let config: string;
  let auditPath: string;
  beforeAll(async () => {
    ({ config, auditPath } = await botDirectory());
  });

  it('denies a write no rule grants: exit 1, a private answer naming why, an audit line', async () => {
    const run = await chatops('run', '--config', config, '--as', 'bob', 'restart uat');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('(only you)');
    expect(run.stdout).toContain('You can\'t run "restart uat": needs role sre.');
    expect((await auditRecords(auditPath)).at(-1)).toMatchObject({
      principal: 'shell:bob',
      target: 'restart',
      decision: 'denied',
      reason: 'needs role sre',
    });
  });

  it('runs a write the role grants for an allowed argument value: exit 0 and the reply', async () => {
    const run = await chatops('run', '--config', config, '--as', 'alice', 'restart uat');
    expect(run).toMatchObject({ code: 0, stdout: 'Restarted uat for alice\n' });
    expect((await auditRecords(auditPath)).slice(-2)).toEqual([
      expect.objectContaining({ principal: 'shell:alice', decision: 'allowed' }),
      expect.objectContaining({ principal: 'shell:alice', outcome: 'ok' }),
    ]);
  });

  it('refuses the same role outside the allowed argument values', async () => {
    const run = await chatops('run', '--config', config, '--as', 'alice', 'restart prod');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('target must be one of uat, staging');
  });

  it('turns a shell:* grant with approval into a pending request and redacts its secret in the audit log', async () => {
    const run = await chatops('run', '--config', config, '--as', 'dave', `deploy uat --token ${SLACK_TOKEN}`);
    // Its own exit code: a script must not take a request waiting for approval for a deploy that ran.
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('Approval needed');
    expect(run.stdout).toContain('Approvers: 1 of role admin');
    expect(run.stdout).toMatch(/\[!1 Approve\] \[!2 Deny\]/);
    expect((await auditRecords(auditPath)).at(-1)).toMatchObject({
      principal: 'shell:dave',
      decision: 'approval-requested',
      args: { target: 'uat', token: '[redacted]' },
    });
    expect(await readFile(auditPath, 'utf8')).not.toContain(SLACK_TOKEN);
  });

  it('help lists only what the caller may run; whoami shows principal and roles', async () => {
    const bob = await chatops('run', '--config', config, '--as', 'bob', 'help');
    expect(bob.code).toBe(0);
    expect(bob.stdout).toContain('health <target>');
    expect(bob.stdout).toContain('deploy <target>');
    expect(bob.stdout).not.toContain('restart <target>');
    // restart, and audit (which only a rule grants).
    expect(bob.stdout).toContain('2 more command(s) hidden');

    const alice = await chatops('run', '--config', config, '--as', 'alice', 'whoami');
    expect(alice.stdout).toContain('Principal: shell:alice');
    expect(alice.stdout).toContain('Roles: sre, shell');
  });
});

describe('chatops start --as and :as: the approval flow in one terminal', () => {
  it('asks as dave, is refused for dave and bob, and runs once carol approves', async () => {
    const { config, auditPath } = await botDirectory();
    const typed = ['deploy uat', '!1', ':as bob', '!1', ':as', ':as carol', '!1', ''].join('\n');

    const run = await chatopsWithInput(typed, 'start', '--config', config, '--as', 'dave');

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('dave wants to run: deploy uat');
    expect(run.stdout).toMatch(/\[!1 Approve\] \[!2 Deny\]/);
    expect(run.stdout).toContain('(only you) [FAIL] You cannot approve your own request.');
    expect(run.stdout).toContain('Now acting as bob (shell:bob).');
    expect(run.stdout).toContain('(only you) [FAIL] Only admin may approve this.');
    expect(run.stdout).toContain('You are bob (shell:bob).');
    expect(run.stdout).toContain('Now acting as carol (shell:carol).');
    expect(run.stdout).toContain('Deployed to uat');
    expect(run.stdout).toMatch(/\(updated message \d+\) \[OK\] Approval granted/);

    const deploy = (await auditRecords(auditPath)).filter(
      (record) => record.target === 'deploy' || record.target === 'core.approval.approve',
    );
    expect(deploy.map((record) => [record.principal, record.decision ?? record.outcome])).toEqual([
      ['shell:dave', 'approval-requested'],
      ['shell:dave', 'allowed'],
      ['shell:dave', 'denied'],
      ['shell:bob', 'allowed'],
      ['shell:bob', 'denied'],
      ['shell:carol', 'allowed'],
      ['shell:dave', 'approved'],
      ['shell:dave', 'allowed'],
      ['shell:dave', 'ok'],
      ['shell:carol', 'ok'],
    ]);
    expect(deploy.at(-2)).toMatchObject({ approver: 'shell:carol', requester: 'shell:dave' });
  });

  it('answers a mistyped shell command without sending it to the bot', async () => {
    const { config, auditPath } = await botDirectory();
    const run = await chatopsWithInput(
      ':ass carol\n:as bad name\n:as b/ob\x1b[31m\n',
      'start',
      '--config',
      config,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'Unknown shell command ":ass carol". `:as NAME` acts as another local user.',
    );
    expect(run.stdout).toContain('Unknown shell command ":as bad name"');
    expect(run.stdout).toContain('"b/ob" is not a local user name');
    expect(run.stdout).not.toContain('\x1b');
    expect(run.stdout).not.toContain('Unknown command');
    expect(await readFile(auditPath, 'utf8')).toBe('');
  });

  it('run --help lists the exit codes, 3 for waiting for approval', async () => {
    const run = await chatops('run', '--help');
    expect(run.stdout).toContain('3 waiting for approval (not run yet)');
  });

  it('refuses --as on another adapter: exit 2, one line', async () => {
    const { config } = await botDirectory();
    const run = await chatops('start', '--config', config, '--adapter', 'slack', '--as', 'carol');
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('chatops: --as works only on the shell adapter (this config uses slack)\n');
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('chatops audit verify and tail on a log written by chatops run', () => {
  let auditPath: string;
  beforeAll(async () => {
    const bot = await botDirectory();
    auditPath = bot.auditPath;
    for (const [user, command] of [
      ['alice', 'restart uat'],
      ['bob', 'restart uat'],
      ['dave', `deploy uat --token ${SLACK_TOKEN}`],
      ['alice', 'whoami'],
    ]) {
      await chatops('run', '--config', bot.config, '--as', user!, command!);
    }
  });

  it('verify exits 0 on the untouched log', async () => {
    const lines = (await auditRecords(auditPath)).length;
    expect(lines).toBe(6);
    const run = await chatops('audit', 'verify', auditPath);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^OK: ${escapeRegExp(auditPath)}: ${lines} line\\(s\\) \\(`));
    expect(run.stdout).toContain(
      'note: no anchors: tail truncation and recomputed chains are not detectable without anchors',
    );
  });

  it('verify exits 1 and names the line of an edited entry', async () => {
    // Line 3 is bob's denial; make it look as if he had been allowed.
    const path = await editedCopy(auditPath, 'edited.jsonl', (lines) =>
      lines.map((line, index) =>
        index === 2 ? line.replace('"decision":"denied"', '"decision":"allowed"') : line,
      ),
    );
    expect((await readFile(path, 'utf8')).split('\n')[2]).toContain('"principal":"shell:bob"');
    expect((await readFile(path, 'utf8')).split('\n')[2]).toContain('"decision":"allowed"');
    const run = await chatops('audit', 'verify', path);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`BROKEN: ${path}: `);
    expect(run.stdout).toContain(`  - ${path} line 3: hash chain broken`);
  });

  it('verify exits 1 and names the line after a deleted entry', async () => {
    const path = await editedCopy(auditPath, 'deleted.jsonl', (lines) =>
      lines.filter((_, index) => index !== 1),
    );
    const run = await chatops('audit', 'verify', path);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`  - ${path} line 2: seq jumps from 1 to 3 (line deleted or reordered)`);
  });

  it('verify exits 1 and names the line of reordered entries', async () => {
    const path = await editedCopy(auditPath, 'reordered.jsonl', (lines) => [
      lines[0]!,
      lines[2]!,
      lines[1]!,
      ...lines.slice(3),
    ]);
    const run = await chatops('audit', 'verify', path);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`  - ${path} line 2: seq jumps from 1 to 3`);
  });

  it('tail -n 2 prints the last two entries', async () => {
    const run = await chatops('audit', 'tail', '-n', '2', auditPath);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('alice (shell:alice) allowed whoami');
    expect(lines[1]).toContain('alice (shell:alice) ok whoami');
  });

  it("tail --user shows only that principal's entries", async () => {
    const run = await chatops('audit', 'tail', '-n', '5', '--user', 'shell:dave', auditPath);
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split('\n')).toEqual([
      expect.stringContaining('dave (shell:dave) approval-requested deploy token=[redacted] target=uat'),
    ]);
  });
});
