import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/plugins/plugin.js';
import { parsePositionals } from '../src/router/arg-spec.js';
import { parseArgs } from '../src/router/parse-args.js';
import { Router } from '../src/router/router.js';
import { suggestCommands } from '../src/router/suggest.js';

const run = () => undefined;

function routerWith(...names: string[]): Router {
  const router = new Router();
  for (const name of names)
    router.addCommand('test', { name, effect: 'read', summary: name, args: '[rest...]', run });
  return router;
}

describe('Router', () => {
  it('takes the longest matching word path', () => {
    const router = routerWith('aws', 'aws s3', 'aws s3 public');
    const route = router.resolve('aws s3 public prod', true);
    expect(route.type).toBe('command');
    if (route.type !== 'command') return;
    expect(route.command.path).toBe('aws s3 public');
    const shorter = router.resolve('aws s3 list', true);
    expect(shorter.type === 'command' && shorter.command.path).toBe('aws s3');
    expect(shorter.type === 'command' && shorter.invocation.args['rest']).toEqual(['list']);
  });

  it('matches command words case-insensitively and keeps argument case', () => {
    const router = new Router();
    router.addCommand('ping', { name: 'ping', args: '<target>', effect: 'read', summary: 'ping', run });
    const route = router.resolve('PING UAT-Blue', true);
    expect(route.type === 'command' && route.invocation.args).toEqual({ target: 'UAT-Blue' });
  });

  it('parses quotes and flags with yargs-parser', () => {
    const router = new Router();
    router.addCommand('t', {
      name: 'deploy',
      args: '<service> [note]',
      options: {
        force: { type: 'boolean' },
        region: { type: 'string', alias: 'r' },
        count: { type: 'number' },
      },
      effect: 'write',
      summary: 'deploy',
      run,
    });
    const route = router.resolve('deploy "web api" \'a long note\' --force -r eu-west-1 --count=3', true);
    expect(route.type === 'command' && route.invocation.args).toEqual({
      service: 'web api',
      note: 'a long note',
      force: true,
      region: 'eu-west-1',
      count: 3,
    });
  });

  it('offers a dashed option or argument in camelCase too, shown once under its declared name', () => {
    const router = new Router();
    router.addCommand('t', {
      name: 'deploy',
      args: '<target-env>',
      options: { 'dry-run': { type: 'boolean' }, 'max-hosts': { type: 'number', default: 2 } },
      effect: 'write',
      summary: 'deploy',
      run,
    });
    const route = router.resolve('deploy uat --dry-run', true);
    if (route.type !== 'command') throw new Error(`expected a command, got ${route.type}`);
    const { args } = route.invocation;
    expect(args['dry-run']).toBe(true);
    expect(args['dryRun']).toBe(true);
    expect(args['maxHosts']).toBe(2);
    expect(args['targetEnv']).toBe('uat');
    expect(Object.keys(args)).toEqual(['dry-run', 'max-hosts', 'target-env']);
    expect(JSON.stringify(args)).toBe('{"dry-run":true,"max-hosts":2,"target-env":"uat"}');
    // Typed as declared, a camelCase flag is not an option of its own.
    expect(router.resolve('deploy uat --dryRun', true)).toMatchObject({
      type: 'usage',
      error: 'unknown option --dryRun',
    });
  });

  it('reserves ":" and "!" at the start of a command for the shell adapter', () => {
    const router = new Router();
    expect(() => router.addCommand('t', { name: ':as', effect: 'read', summary: 'x', run })).toThrow(
      'command ":as" may not start with ":" or "!"',
    );
    expect(() => router.addCommand('t', { name: '!1', effect: 'read', summary: 'x', run })).toThrow(
      /may not start/,
    );
  });

  it('answers a bad call with the usage, not an exception', () => {
    const router = new Router();
    router.addCommand('ping', {
      name: 'ping',
      args: '<target>',
      options: { n: { type: 'number' } },
      effect: 'read',
      summary: 'ping',
      run,
    });
    const missing = router.resolve('ping', true);
    expect(missing).toMatchObject({
      type: 'usage',
      error: 'missing <target>',
      usage: 'ping <target> [-n <number>]',
    });
    expect(router.resolve('ping a b', true)).toMatchObject({
      type: 'usage',
      error: 'unexpected argument "b"',
    });
    expect(router.resolve('ping a --nope', true)).toMatchObject({
      type: 'usage',
      error: 'unknown option --nope',
    });
    expect(router.resolve('ping a -n x', true)).toMatchObject({
      type: 'usage',
      error: '-n must be a number, got "x"',
    });
  });

  it('resolves an addressed line no command or listener takes as unknown', () => {
    const router = routerWith('ping', 'help');
    expect(router.resolve('pnig uat', true)).toEqual({ type: 'unknown' });
  });

  it('suggests the closest of the given command paths for an unknown one', () => {
    const paths = ['ping', 'help', 'aws s3 public', 'aws iam no-mfa'];
    expect(suggestCommands('pnig uat', paths)).toEqual(['ping']);
    expect(suggestCommands('aws s3 pubic', paths)[0]).toBe('aws s3 public');
  });

  it('refuses a second handler for the same command', () => {
    const router = routerWith('ping');
    expect(() => router.addCommand('other', { name: 'PING', effect: 'read', summary: '', run })).toThrow(
      /already registered/,
    );
  });

  it('uses listeners only when no command matched; hear sees unaddressed lines, respond does not', () => {
    const router = routerWith('ping');
    router.addListener('t', /deploy (?<service>\w+)/, { effect: 'read', run }, false);
    router.addListener('t', /^thanks/i, { effect: 'read', run }, true);
    expect(router.resolve('ping x', true).type).toBe('command');
    const heard = router.resolve('we should deploy web', false);
    expect(heard.type === 'listeners' && heard.matches[0]?.invocation.args).toEqual({ service: 'web' });
    expect(router.resolve('thanks', false)).toEqual({ type: 'none' });
    expect(router.resolve('thanks', true).type).toBe('listeners');
    expect(router.resolve('random chatter', false)).toEqual({ type: 'none' });
  });

  it('derives permissions from plugin and words without repeating the plugin name', () => {
    const router = new Router();
    const command = router.addCommand('aws', { name: 'aws s3 public', effect: 'read', summary: '', run });
    expect(command.permission({})).toBe('aws.s3.public');
    const other = router.addCommand('shell', {
      name: 'run',
      effect: 'write',
      summary: '',
      run,
      permission: (args) => `shell.run.${String(args['script'])}`,
    });
    expect(other.permission({ script: 'disk' })).toBe('shell.run.disk');
  });

  it('dispatch cost does not depend on the number of commands (trie walk)', () => {
    const router = new Router();
    for (let index = 0; index < 5000; index++) {
      router.addCommand('bulk', { name: `group${index % 50} cmd${index}`, effect: 'read', summary: '', run });
    }
    const route = router.resolve('group7 cmd4957 extra', true);
    expect(route.type).toBe('usage');
    expect(router.commands.size).toBe(5000);
  });
});

describe('options named like Object.prototype members (finding 10)', () => {
  it.each(['constructor', 'toString', 'hasOwnProperty', 'valueOf'])(
    'answers --%s with the usual unknown option usage error',
    (name) => {
      const router = new Router();
      router.addCommand('t', {
        name: 'probe',
        options: { loud: { type: 'boolean' } },
        effect: 'read',
        summary: '',
        run,
      });
      expect(router.resolve(`probe --${name}`, true)).toMatchObject({
        type: 'usage',
        error: `unknown option --${name}`,
      });
      expect(() => parseArgs(`--${name}=x`, [], {})).toThrow(UsageError);
    },
  );
});

describe('argument specs', () => {
  it('parses required, optional, variadic and typed positionals', () => {
    expect(parsePositionals('<a> [b:number] [c...]', 'x')).toEqual([
      { name: 'a', required: true, variadic: false, type: 'string' },
      { name: 'b', required: false, variadic: false, type: 'number' },
      { name: 'c', required: false, variadic: true, type: 'string' },
    ]);
    expect(() => parsePositionals('<a...> <b>', 'x')).toThrow(/last argument/);
    expect(() => parsePositionals('<a]', 'x')).toThrow(/bad args spec/);
  });

  it('applies option defaults and choices', () => {
    const options = { env: { type: 'string' as const, choices: ['uat', 'prod'], default: 'uat' } };
    expect(parseArgs('', [], options)).toEqual({ env: 'uat' });
    expect(() => parseArgs('--env dev', [], options)).toThrow(UsageError);
  });

  it('passes shell metacharacters through as plain text', () => {
    const args = parseArgs('"; rm -rf /" $(id) `id`', parsePositionals('[words...]', 'x'), {});
    expect(args['words']).toEqual(['; rm -rf /', '$(id)', '`id`']);
  });
});

describe('suggestCommands', () => {
  it('returns nothing for text far from any command', () => {
    expect(suggestCommands('zzzzzzzz', ['ping', 'help'])).toEqual([]);
  });
});
