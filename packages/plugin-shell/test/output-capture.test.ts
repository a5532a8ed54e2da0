import { redactText } from '@chatops/core';
import { describe, expect, it } from 'vitest';
import { OutputCapture } from '../src/output-capture.js';
import { outputText } from '../src/output-text.js';

const identity = (text: string): string => text;

describe('OutputCapture', () => {
  it('keeps everything that fits', () => {
    const capture = new OutputCapture(100);
    capture.write(Buffer.from('one\ntwo\n'));
    capture.write(Buffer.from('three'));
    expect(capture.result()).toEqual({
      head: 'one\ntwo\nthree',
      tail: '',
      droppedBytes: 0,
      droppedLines: 0,
      totalBytes: 13,
      lines: 3,
    });
    // `three` may still be being written: only finished lines are shown.
    expect(capture.lastLine(identity)).toBe('two');
  });

  it('keeps the head and the tail at line boundaries and counts what it drops', () => {
    const capture = new OutputCapture(40);
    for (let line = 1; line <= 100; line += 1) capture.write(Buffer.from(`line ${line}\n`));
    const result = capture.result();
    expect(result.head).toBe('line 1\nline 2\n');
    expect(result.tail).toBe('line 99\nline 100\n');
    expect(result.totalBytes).toBe(792);
    expect(result.droppedBytes).toBe(792 - result.head.length - result.tail.length);
    expect(result.droppedLines).toBe(96);
    expect(result.lines).toBe(100);
    expect(capture.retainedBytes).toBeLessThanOrEqual(40);
  });

  it('says how much was dropped in the text it shows', async () => {
    const capture = new OutputCapture(40);
    for (let line = 1; line <= 100; line += 1) capture.write(Buffer.from(`line ${line}\n`));
    expect(await outputText(capture.result(), identity)).toBe(
      'line 1\nline 2\n… 761 bytes (96 lines) of output dropped …\nline 99\nline 100',
    );
  });

  it('leaves out the card JSON and redacts what it shows', async () => {
    const capture = new OutputCapture(1000);
    capture.write(Buffer.from('checking\n{"chatops":{"title":"x"}}\n'));
    const text = await outputText(
      capture.result(),
      (value) => value.replace('checking', '[redacted]'),
      '{"chatops":{"title":"x"}}',
    );
    expect(text).toBe('[redacted]');
  });
});

describe('cutting output that holds secrets', () => {
  const token = 'xoxb-123456789012-1234567890123-abcdefghijklmnop';

  it('never cuts through a token at the head or the tail of one long line', async () => {
    const capture = new OutputCapture(40);
    capture.write(Buffer.from(`a a a a a ${token} ${'b '.repeat(200)}${token} c`));
    const text = await outputText(capture.result(), redactText);
    expect(text).toMatch(/^a a a a a\s*\n… \d+ bytes \(\d+ lines?\) of output dropped …\nc$/);
    for (const part of token.split('-')) expect(text).not.toContain(part);
  });

  it('shows no part of a private key whose beginning was dropped', async () => {
    const capture = new OutputCapture(200);
    const body = Array.from({ length: 20 }, (_, line) => `MIIEvQIBADANBgkqhkiG9w0BAQEFAASC${line}`);
    capture.write(Buffer.from(`start\n${'filler line\n'.repeat(20)}-----BEGIN PRIVATE KEY-----\n`));
    capture.write(Buffer.from(`${body.join('\n')}\n-----END PRIVATE KEY-----\ndone\n`));
    const text = await outputText(capture.result(), redactText);
    expect(text).not.toContain('MIIEvQ');
    expect(text.endsWith('done')).toBe(true);
  });

  it('shows in progress only finished lines, redacted whole before they are shortened', () => {
    const capture = new OutputCapture(64 * 1024);
    capture.write(Buffer.from('step 1\nusing xoxb-1234'));
    // The rest of the token is still to come: nothing of it is shown yet.
    expect(capture.lastLine(redactText)).toBe('step 1');
    capture.write(Buffer.from('56789012-abcdefghij\n'));
    expect(capture.lastLine(redactText)).toBe('using [redacted]');
    capture.write(Buffer.from(`${'x'.repeat(195)} ${token}\n`));
    expect(capture.lastLine(redactText, 200)).toBe(`${'x'.repeat(195)} [red…`);
  });
});
