import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestBot } from '@chatops/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from './process-state.js';
import { shellBot } from './shell-bot.js';

const anything = (name: string) => ({ name, pattern: '.+', required: false });

const scripts = {
  echo: {
    description: 'Prints its arguments',
    command: fixture('print-args.mjs'),
    params: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].map(anything),
    effect: 'read',
  },
  'echo-dash': {
    description: 'Prints its arguments, which may start with a dash',
    command: fixture('print-args.mjs'),
    args: ['--fixed'],
    params: [{ name: 'flag', pattern: '.+', allowDash: true }],
    passAfterDoubleDash: true,
    effect: 'read',
  },
  'disk-usage': {
    description: 'Disk usage of a host',
    command: fixture('print-args.mjs'),
    params: [
      { name: 'host', pattern: '[a-z0-9-]+' },
      { name: 'mode', enum: ['fast', 'full'], required: false },
      { name: 'lines', number: { min: 1, max: 100, integer: true }, required: false },
    ],
    effect: 'read',
    expose: true,
  },
  restart: {
    description: 'Restarts a host',
    command: fixture('restart.sh'),
    params: [{ name: 'host', pattern: '[a-z0-9-]+' }],
    effect: 'write',
  },
  failing: { description: 'Fails', command: fixture('exit-code.sh'), args: ['3'], effect: 'read' },
};

let bot: TestBot;
let sandbox: string;

beforeAll(async () => {
  bot = await shellBot(scripts);
  sandbox = mkdtempSync(join(tmpdir(), 'shell-injection-'));
});
afterAll(async () => {
  await bot.close();
  rmSync(sandbox, { recursive: true, force: true });
});

/** The argument vector the print-args fixture reported in a reply. */
function printedArgs(text: string): string[] {
  const line = text.split('\n').find((candidate) => candidate.trim().startsWith('['));
  if (!line) throw new Error(`no argument list in: ${text}`);
  return JSON.parse(line.trim()) as string[];
}

describe('run', () => {
  it('runs a script with validated arguments and reports exit code and output', async () => {
    const [reply] = await bot.say('dave', 'run disk-usage web-1 full 20');
    expect(reply!.card.title).toBe('disk-usage finished');
    expect(reply!.card.status).toBe('ok');
    expect(printedArgs(reply!.card.code!)).toEqual(['web-1', 'full', '20']);
    expect(reply!.card.fields).toEqual(
      expect.arrayContaining([
        { label: 'Command', value: 'disk-usage web-1 full 20', short: true },
        { label: 'Exit', value: '0', short: true },
      ]),
    );
  });

  it('passes shell metacharacters through as literal arguments, never to a shell', async () => {
    const marker = join(sandbox, 'pwned');
    const line = `run echo '$(touch ${marker})' "; touch ${marker}" "\`touch ${marker}\`" a&&b 'a | b' * "it's" ../../etc/passwd 'x > ${marker}'`;
    const [reply] = await bot.say('dave', line);
    expect(reply!.card.title).toBe('echo finished');
    expect(printedArgs(reply!.card.code!)).toEqual([
      `$(touch ${marker})`,
      `; touch ${marker}`,
      `\`touch ${marker}\``,
      'a&&b',
      'a | b',
      '*',
      "it's",
      '../../etc/passwd',
      `x > ${marker}`,
    ]);
    expect(existsSync(marker)).toBe(false);
  });

  it.each([
    ['run disk-usage "web-1; rm -rf /"', /<host> must match/],
    ['run disk-usage $(id)', /<host> must match/],
    ['run disk-usage ../../etc', /<host> must match/],
    ['run disk-usage web-*', /<host> must match/],
    ['run disk-usage web-1 turbo', /<mode> must be one of fast, full/],
    ['run disk-usage web-1 fast 1000', /<lines> must be at most 100/],
    ['run disk-usage web-1 fast ten', /<lines> must be a number/],
    ['run disk-usage', /missing <host>/],
    ['run disk-usage web-1 fast 5 extra', /too many arguments: "extra"/],
    ['run disk-usage -- -rf', /<host> must not start with "-"/],
    ['run disk-usage web-1 --output=/etc/passwd', /unknown option --output/],
    ['run nope', /no script named "nope"/],
  ])('refuses %j before anything runs', async (line, message) => {
    const replies = await bot.say('dave', line);
    expect(bot.lastResult?.status).toBe('usage');
    expect(replies).toHaveLength(1);
    expect(replies[0]!.private).toBe(true);
    expect(replies[0]!.text).toMatch(message);
  });

  it('passes a dash argument after `--` only where the declaration allows it', async () => {
    const [reply] = await bot.say('dave', 'run echo-dash -- --force');
    expect(printedArgs(reply!.card.code!)).toEqual(['--fixed', '--', '--force']);
  });

  it('runs an exposed script as its own command', async () => {
    const [reply] = await bot.say('dave', 'disk-usage web-2');
    expect(reply!.card.title).toBe('disk-usage finished');
    expect(printedArgs(reply!.card.code!)).toEqual(['web-2']);
  });

  it('checks permission shell.run.<script> with the declared effect', async () => {
    const denied = await bot.say('dave', 'run restart web-1');
    expect(bot.lastResult?.status).toBe('denied');
    expect(denied.some((message) => message.text.includes('restarted'))).toBe(false);

    const [reply] = await bot.say('alice', 'run restart web-1');
    expect(bot.lastResult?.status).toBe('ok');
    expect(reply!.card.code).toBe('restarted web-1 for shell:alice');
    const decisions = bot.audit.filter((record) => record.permission === 'shell.run.restart');
    expect(decisions.map((record) => [record.principal, record.effect, record.decision])).toEqual(
      expect.arrayContaining([
        ['shell:dave', 'write', 'denied'],
        ['shell:alice', 'write', 'allowed'],
      ]),
    );
  });

  it('reports a failing exit code with stderr', async () => {
    const [reply] = await bot.say('dave', 'run failing');
    expect(reply!.card.title).toBe('failing failed with exit code 3');
    expect(reply!.card.status).toBe('danger');
    expect(reply!.card.code).toBe('to stdout\nto stderr');
  });
});

describe('scripts', () => {
  it('lists every script with its usage', async () => {
    const [reply] = await bot.say('dave', 'scripts');
    expect(reply!.card.table?.rows).toEqual(
      expect.arrayContaining([
        ['disk-usage <host> [mode] [lines]', 'read', 'Disk usage of a host'],
        ['run restart <host>', 'write', 'Restarts a host'],
      ]),
    );
  });

  it('explains what each argument of one script accepts', async () => {
    const [reply] = await bot.say('dave', 'scripts disk-usage');
    expect(reply!.card.table?.rows).toEqual([
      ['<host>', 'matches [a-z0-9-]+', ''],
      ['[mode]', 'one of fast, full', ''],
      ['[lines]', 'a whole number ≥ 1, ≤ 100', ''],
    ]);
  });
});

afterEach(() => {
  expect(existsSync(join(sandbox, 'pwned'))).toBe(false);
});
