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
    expect(capture.lastLine()).toBe('three');
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
