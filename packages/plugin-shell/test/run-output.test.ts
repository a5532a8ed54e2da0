import type { TestBot } from '@chatops/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, isRunning, printedPid } from './process-state.js';
import { shellBot } from './shell-bot.js';

const BOT_TOKEN = 'xoxb-111111111111-2222222222222-abcdefghijklmnopqrstuvwx';

const scripts = {
  env: {
    description: 'Prints its environment',
    command: fixture('print-env.mjs'),
    env: { GREETING: 'hello', DB_PASSWORD: 'correct horse battery' },
    passEnv: ['SHELL_TEST_PASSED'],
    effect: 'read',
  },
  hang: {
    description: 'Ignores SIGTERM',
    command: fixture('ignore-term.sh'),
    timeout: '500ms',
    effect: 'read',
  },
  leftover: { description: 'Leaves a child behind', command: fixture('leave-child.sh'), effect: 'read' },
  flood: {
    description: 'Prints a lot',
    command: fixture('flood.sh'),
    args: ['10000000'],
    maxOutput: 4096,
    effect: 'read',
  },
  ansi: { description: 'Prints colours', command: fixture('ansi.sh'), effect: 'read' },
  secrets: {
    description: 'Prints secrets',
    command: fixture('secrets.sh'),
    env: { DB_PASSWORD: 'hunter2-very-secret' },
    effect: 'read',
  },
  missing: { description: 'Does not exist', command: fixture('no-such-script.sh'), effect: 'read' },
};

let bot: TestBot;
beforeAll(async () => {
  process.env['SLACK_BOT_TOKEN'] = BOT_TOKEN;
  process.env['SHELL_TEST_PASSED'] = 'passed through';
  bot = await shellBot(scripts, { redact: ['tkt-[0-9a-f]{16}'] });
});
afterAll(async () => {
  await bot.close();
  delete process.env['SLACK_BOT_TOKEN'];
  delete process.env['SHELL_TEST_PASSED'];
});

describe('a script’s environment', () => {
  it('is PATH, HOME, LANG, the declared variables and who asked; never the bot’s tokens', async () => {
    const [reply] = await bot.say('dave', 'run env');
    const { env } = JSON.parse(reply!.card.code!) as { env: Record<string, string> };
    expect(Object.keys(env).sort()).toEqual(
      [
        'CHATOPS_REQUEST_ID',
        'CHATOPS_SCRIPT',
        'CHATOPS_USER',
        'DB_PASSWORD',
        'GREETING',
        'HOME',
        'LANG',
        'PATH',
        'SHELL_TEST_PASSED',
      ].sort(),
    );
    expect(env['GREETING']).toBe('hello');
    expect(env['SHELL_TEST_PASSED']).toBe('passed through');
    expect(env['CHATOPS_USER']).toBe('shell:dave');
    expect(reply!.text).not.toContain(BOT_TOKEN);
    // A secret the script was given is still not shown in chat.
    expect(env['DB_PASSWORD']).toBe('[redacted]');
  });
});

describe('timeouts', () => {
  it('kill a script that ignores SIGTERM, and its children, and say so with the output so far', async () => {
    const [reply] = await bot.say('dave', 'run hang');
    expect(reply!.card.title).toBe('hang timed out after 500ms');
    expect(reply!.card.status).toBe('danger');
    const output = reply!.card.code!;
    expect(isRunning(printedPid(output, 'leader'))).toBe(false);
    expect(isRunning(printedPid(output, 'child'))).toBe(false);
  });

  it('leave nothing behind when a script exits with children still running', async () => {
    const [reply] = await bot.say('dave', 'run leftover');
    expect(reply!.card.title).toBe('leftover finished');
    expect(isRunning(printedPid(reply!.card.code!, 'child'))).toBe(false);
  });
});

describe('output', () => {
  it('is capped to its head and tail, says how much was dropped, and goes out as a file', async () => {
    const [reply] = await bot.say('dave', 'run flood');
    const card = reply!.card;
    expect(card.title).toBe('flood finished');
    expect(card.fields).toContainEqual({
      label: 'Output',
      value: '232,559 lines, 9.5 MB dropped',
      short: true,
    });
    expect(card.file?.name).toBe('flood-output.txt');
    const file = card.file!.content;
    expect(file.length).toBeLessThanOrEqual(4096 + 100);
    expect(file).toMatch(/^all work and no play makes a dull log line\n/);
    expect(file).toMatch(/\n… 9\.5 MB \(232,4\d\d lines\) of output dropped …\n/);
    expect(card.code!.split('\n')).toHaveLength(20);
    expect(card.text).toBe('Showing the last 20 lines; the whole output is attached.');
  });

  it('has ANSI sequences, progress-bar rewrites and control characters removed', async () => {
    const [reply] = await bot.say('dave', 'run ansi');
    expect(reply!.card.code).toBe('red alert\ncleared line\nprogress 100%\nbell here');
  });

  it('has AWS keys, configured patterns and the script’s secrets redacted', async () => {
    const [reply] = await bot.say('dave', 'run secrets');
    expect(reply!.card.code).toBe(
      [
        'aws_access_key_id = [redacted]',
        'aws_secret_access_key = [redacted]',
        'aws_session_token = [redacted]',
        'internal ticket token: [redacted]',
        'db password from env: [redacted]',
        'commit 3f786850e387550fdab836ed7e6dc881de23001b is fine',
      ].join('\n'),
    );
  });

  it('reports a script that cannot start', async () => {
    const [reply] = await bot.say('dave', 'run missing');
    expect(reply!.card.title).toMatch(/^missing could not start: spawn .*no-such-script\.sh ENOENT$/);
  });
});
