import { describe, expect, it } from 'vitest';
import { readSummary, renderedReadmes } from '../figures.mjs';
import { replaceBlock, rootReadmeFigures } from '../lib/figures.mjs';
import { formatNumber } from '../lib/table.mjs';

describe('README figures', () => {
  it('match bench/results/summary.json in bench/README.md and the root README', async () => {
    const readmes = await renderedReadmes(await readSummary());
    expect(readmes).toHaveLength(2);
    for (const readme of readmes) expect(readme.current, readme.path).toBe(readme.expected);
  });

  it('include the shell-adapter throughput, where Hubot is ahead, in the root Performance table', async () => {
    const summary = await readSummary();
    const shell = summary.rows.find((row) => row.case === 'commands/s through the shell adapter');
    const table = rootReadmeFigures(summary);
    expect(table).toContain(`Hubot Shell adapter: ${formatNumber(shell.baseline.summary.median)}`);
    expect(table).toMatch(/\| 0\.\d+× \|/);
  });

  it('name the bars a run missed, from the run itself', async () => {
    const summary = await readSummary();
    const allMet = { ...summary, bars: summary.bars.map((bar) => ({ ...bar, met: true })) };
    const oneMissed = {
      ...summary,
      bars: summary.bars.map((bar, index) => ({
        ...bar,
        met: index !== 0,
        value: index === 0 ? '9.5×' : bar.value,
      })),
    };
    const count = summary.bars.length;
    expect(rootReadmeFigures(allMet)).toContain(
      `${count} of ${count} bars of the benchmark issue are met.\n`,
    );
    expect(rootReadmeFigures(oneMissed)).toContain(
      `${count - 1} of ${count} bars of the benchmark issue are met. Not met: ${summary.bars[0].benchmark} "${summary.bars[0].bar}" (9.5×).`,
    );
  });

  it('replace only what lies between the markers', () => {
    const text = 'before\n<!-- x:begin note -->\nold\nlines\n<!-- x:end -->\nafter\n';
    expect(replaceBlock(text, 'x', 'new')).toBe(
      'before\n<!-- x:begin note -->\nnew\n<!-- x:end -->\nafter\n',
    );
    expect(() => replaceBlock('no markers', 'x', 'new')).toThrow('no <!-- x:begin -->');
  });
});
