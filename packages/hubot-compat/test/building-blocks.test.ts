import { describe, expect, it } from 'vitest';
import { parseCommandsBlock, splitHelpLine } from '../src/help-parser.js';
import { scriptName } from '../src/listener-registry.js';
import { MiddlewareStack } from '../src/middleware-stack.js';
import { ScopedHttpClient } from '../src/scoped-http-client.js';

describe('scriptName', () => {
  it.each([
    [{ module: 'hubot-rules' }, 'rules'],
    [{ module: '@acme/hubot-deploy' }, 'deploy'],
    [{ path: './scripts/deploy.js' }, 'deploy'],
    [{ path: './scripts/' }, 'scripts'],
    [{ path: './scripts/deploy.js', name: 'release' }, 'release'],
  ])('%j → %s', (entry, name) => {
    expect(scriptName(entry)).toBe(name);
  });
});

describe('the Commands: block', () => {
  it('reads the lines of the Commands section after use strict, from // or # comments', () => {
    const js = `'use strict'\n\n// Description:\n//   Things.\n//\n// Commands:\n//   hubot ping - Reply with pong\n//   hubot echo <text> - Reply back\n//\n// Author:\n//   someone\n\nmodule.exports = () => {}\n`;
    expect(parseCommandsBlock(js)).toEqual([
      'hubot ping - Reply with pong',
      'hubot echo <text> - Reply back',
    ]);
    const coffee = `# Commands:\n#   ship it - Display a squirrel\n#\n# Notes:\n#   None\nmodule.exports = ->\n`;
    expect(parseCommandsBlock(coffee)).toEqual(['ship it - Display a squirrel']);
  });

  it('splits a line into usage (without the robot name) and summary', () => {
    expect(splitHelpLine('hubot echo <text> - Reply back - loudly')).toEqual({
      usage: 'echo <text>',
      summary: 'Reply back - loudly',
    });
  });
});

describe('MiddlewareStack', () => {
  it('refuses Hubot 10 middleware (context, next, done), as Hubot 11+ does', () => {
    const stack = new MiddlewareStack(() => undefined);
    const legacy = (_context: unknown, _next: unknown, _done: unknown) => true;
    expect(() => stack.register(legacy as (context: unknown) => boolean)).toThrow(/expected 1, got 3/);
  });

  it('stops at the first false or throwing middleware and reports the error', async () => {
    const errors: unknown[] = [];
    const stack = new MiddlewareStack<{ n: number }>((error) => errors.push(error));
    stack.register(async (context) => {
      context.n += 1;
      return true;
    });
    stack.register((_context) => {
      throw new Error('boom');
    });
    stack.register((context) => {
      context.n += 100;
    });
    const context = { n: 0 };
    expect(await stack.execute(context)).toBe(false);
    expect(context.n).toBe(1);
    expect(errors).toHaveLength(1);
  });
});

describe('ScopedHttpClient', () => {
  it('builds the URL from the base, path and query, keeping the query of the URL', () => {
    const client = new ScopedHttpClient('https://api.example.com/v1?token=a')
      .path('builds')
      .query({ page: 2 })
      .query('state', 'open');
    expect(client.url()).toBe('https://api.example.com/v1/builds?token=a&page=2&state=open');
    expect(client.query('state').path('/status').url()).toBe('https://api.example.com/status?token=a&page=2');
  });
});
