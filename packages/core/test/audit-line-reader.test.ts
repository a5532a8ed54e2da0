import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FileLine, readLines, readLinesBackward } from '../src/audit/line-reader.js';
import { tempDirs } from './audit-fixtures.js';

const temp = tempDirs();
afterEach(temp.removeAll);

async function collect(lines: AsyncGenerator<FileLine>): Promise<[string, boolean][]> {
  const result: [string, boolean][] = [];
  for await (const { bytes, terminated } of lines) result.push([bytes.toString('utf8'), terminated]);
  return result;
}

const cases: [string, string, [string, boolean][]][] = [
  ['an empty file', '', []],
  [
    'terminated lines',
    'one\ntwo\n',
    [
      ['one', true],
      ['two', true],
    ],
  ],
  [
    'an unterminated last line',
    'one\ntwo',
    [
      ['one', true],
      ['two', false],
    ],
  ],
  ['a single unterminated line', 'only', [['only', false]]],
  [
    'empty lines',
    '\nmid\n\n',
    [
      ['', true],
      ['mid', true],
      ['', true],
    ],
  ],
  [
    'multi-byte text',
    'äöü €\n日本語\n',
    [
      ['äöü €', true],
      ['日本語', true],
    ],
  ],
];

describe.each([1, 2, 3, 7, 64 * 1024])('line readers with %i-byte chunks', (chunkSize) => {
  it.each(cases)('read %s forwards and backwards', async (_name, content, expected) => {
    const path = join(await temp.make(), 'lines.txt');
    await writeFile(path, content);
    expect(await collect(readLines(path, chunkSize))).toEqual(expected);
    expect(await collect(readLinesBackward(path, chunkSize))).toEqual([...expected].reverse());
  });
});

describe('line readers', () => {
  it('yield nothing for a missing file', async () => {
    const path = join(await temp.make(), 'missing.txt');
    expect(await collect(readLines(path))).toEqual([]);
    expect(await collect(readLinesBackward(path))).toEqual([]);
  });

  it('find the last line of a large file reading small chunks from the end', async () => {
    const path = join(await temp.make(), 'big.txt');
    await writeFile(path, `${'x'.repeat(1_000_000)}\nlast\n`);
    const lines = readLinesBackward(path, 16);
    expect((await lines.next()).value?.bytes.toString()).toBe('last');
    await lines.return(undefined);
  });
});
