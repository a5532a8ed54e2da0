import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { newCorrelationId } from '../src/pipeline/correlation-id.js';
import { parsePositionals } from '../src/router/arg-spec.js';
import { parseArgs } from '../src/router/parse-args.js';
import { lazyChild } from '../src/runtime/lazy-logger.js';
import { createLogger } from '../src/runtime/logger.js';

function captured() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return {
    stream,
    records: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line)),
  };
}

describe('lazyChild', () => {
  it('logs with the bindings of every level once something is logged', () => {
    const out = captured();
    const root = createLogger({ level: 'info', destination: out.stream });
    const request = lazyChild(root, { cid: 'abc' });
    const handler = lazyChild(request, { user: 'shell:alice', command: 'ping' });
    handler.info({ target: 'uat' }, 'pinged');
    request.warn('slow');
    expect(out.records()).toMatchObject([
      { cid: 'abc', user: 'shell:alice', command: 'ping', target: 'uat', msg: 'pinged' },
      { cid: 'abc', msg: 'slow' },
    ]);
  });

  it('still redacts secrets in bindings and objects', () => {
    const out = captured();
    const root = createLogger({ level: 'info', destination: out.stream });
    lazyChild(root, { token: 'xoxb-1-2-SECRET' }).info({ password: 'hunter2' }, 'x');
    const [record] = out.records();
    expect(record).toMatchObject({ token: '[redacted]', password: '[redacted]' });
  });

  it('reads the level and children from the real child', () => {
    const root = createLogger({ level: 'warn', destination: captured().stream });
    const lazy = lazyChild(root, { cid: 'x' });
    expect(lazy.level).toBe('warn');
    expect(lazy.isLevelEnabled('info')).toBe(false);
    expect(typeof lazy.child({ more: 1 }).error).toBe('function');
  });
});

describe('newCorrelationId', () => {
  it('gives distinct 8-character base64url ids across pool refills', () => {
    const ids = Array.from({ length: 5000 }, () => newCorrelationId());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{8}$/);
  });
});

describe('parseArgs on lines without quotes or flags', () => {
  it('splits on spaces like yargs-parser: tabs stay inside a word, runs of spaces collapse', () => {
    const words = parsePositionals('<first> [rest...]', 't');
    expect(parseArgs('  world   x\ty 12 a=b ', words, {})).toEqual({
      first: 'world',
      rest: ['x\ty', '12', 'a=b'],
    });
  });

  it('fills option defaults and checks positionals the same way', () => {
    const spec = parsePositionals('<env>', 't');
    const options = { loud: { type: 'boolean' as const, default: false } };
    expect(parseArgs('prod', spec, options)).toEqual({ env: 'prod', loud: false });
    expect(() => parseArgs('', spec, options)).toThrow('missing <env>');
    expect(() => parseArgs('prod extra', spec, options)).toThrow('unexpected argument "extra"');
  });

  it('hands quotes and flags to yargs-parser', () => {
    const spec = parsePositionals('[words...]', 't');
    expect(parseArgs('a-b "c d" x-', spec, {})).toEqual({ words: ['a-b', 'c d', 'x-'] });
    expect(() => parseArgs('a -b', spec, {})).toThrow('unknown option -b');
  });
});
