import { describe, expect, it } from 'vitest';
import { ArgumentError, type ParameterSpec, parameterUsage, validateArguments } from '../src/parameters.js';

function parameter(spec: Partial<ParameterSpec> & { name: string }): ParameterSpec {
  return { required: true, allowDash: false, maxLength: 256, ...spec };
}

const host = parameter({ name: 'host', pattern: '[a-z0-9-]+' });
const mode = parameter({ name: 'mode', enum: ['fast', 'full'], required: false });
const lines = parameter({ name: 'lines', number: { min: 1, max: 500, integer: true }, required: false });

function refusal(parameters: ParameterSpec[], values: string[]): string {
  try {
    validateArguments(parameters, values);
  } catch (error) {
    expect(error).toBeInstanceOf(ArgumentError);
    return (error as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(values)}`);
}

describe('validateArguments', () => {
  it('accepts declared values and returns them unchanged', () => {
    expect(validateArguments([host, mode, lines], ['web-1', 'full', '20'])).toEqual(['web-1', 'full', '20']);
    expect(validateArguments([host, mode, lines], ['web-1'])).toEqual(['web-1']);
  });

  it('anchors patterns: a match inside the value is not enough', () => {
    expect(refusal([host], ['web-1; rm -rf /'])).toBe('<host> must match [a-z0-9-]+: "web-1; rm -rf /"');
    expect(refusal([host], ['x\nrm -rf /'])).toContain('control characters');
  });

  it.each([
    '; rm -rf /',
    '$(id)',
    '`id`',
    'web-1 && reboot',
    'web-1 | nc evil 1',
    "it's",
    '"quoted"',
    'web-*',
    '../../etc/passwd',
  ])('refuses %j for a host pattern', (value) => {
    expect(refusal([host], [value])).toMatch(/^<host> must (match|not start)/);
  });

  it('refuses control characters whatever the pattern allows', () => {
    const anything = parameter({ name: 'text', pattern: '[\\s\\S]+' });
    expect(refusal([anything], ['line one\nline two'])).toBe('<text> must not contain control characters');
    expect(refusal([anything], ['nul\u0000byte'])).toBe('<text> must not contain control characters');
    expect(validateArguments([anything], ['$(id) `id` ; | && * ?'])).toEqual(['$(id) `id` ; | && * ?']);
  });

  it('refuses values starting with "-" unless the parameter allows them', () => {
    const anything = parameter({ name: 'text', pattern: '.+' });
    expect(refusal([anything], ['--output=/etc/passwd'])).toBe(
      '<text> must not start with "-": "--output=/etc/passwd"',
    );
    const offset = parameter({ name: 'offset', number: { min: -10, max: 10 }, allowDash: true });
    expect(validateArguments([offset], ['-5'])).toEqual(['-5']);
  });

  it('checks enums exactly', () => {
    expect(refusal([host, mode], ['web-1', 'FULL'])).toBe('<mode> must be one of fast, full: "FULL"');
  });

  it('checks number ranges and whole numbers', () => {
    expect(refusal([host, mode, lines], ['web-1', 'fast', '0'])).toBe('<lines> must be at least 1');
    expect(refusal([host, mode, lines], ['web-1', 'fast', '501'])).toBe('<lines> must be at most 500');
    expect(refusal([host, mode, lines], ['web-1', 'fast', '2.5'])).toBe('<lines> must be a whole number');
    expect(refusal([host, mode, lines], ['web-1', 'fast', '1e3'])).toBe('<lines> must be a number: "1e3"');
    expect(refusal([host, mode, lines], ['web-1', 'fast', '0x10'])).toBe('<lines> must be a number: "0x10"');
  });

  it('names a missing required argument', () => {
    expect(refusal([host], [])).toBe('missing <host>');
  });

  it('refuses extra arguments', () => {
    expect(refusal([host], ['web-1', 'web-2'])).toBe('too many arguments: "web-2" (takes at most 1)');
    expect(refusal([], ['x'])).toBe('takes no arguments, got "x"');
  });

  it('refuses empty and over-long values, and shortens them in the message', () => {
    expect(refusal([host], [''])).toBe('<host> must not be empty');
    const long = 'a'.repeat(300);
    expect(refusal([host], [long])).toBe('<host> is longer than 256 characters');
    const text = parameter({ name: 'text', enum: ['x'] });
    expect(refusal([text], ['b'.repeat(100)])).toBe(`<text> must be one of x: "${'b'.repeat(60)}…"`);
  });
});

describe('parameterUsage', () => {
  it('marks required and optional arguments', () => {
    expect(parameterUsage([host, mode, lines])).toBe('<host> [mode] [lines]');
  });
});
