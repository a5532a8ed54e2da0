import { describe, expect, it } from 'vitest';
import { findScriptCard, scriptCardContent } from '../src/script-card.js';

const card = { title: 'Report', status: 'warn', actions: [{ label: 'Fix', command: 'run fix web-1' }] };

describe('findScriptCard', () => {
  it('finds a card printed as the last line', () => {
    const line = JSON.stringify({ chatops: card });
    expect(findScriptCard(`checking\n${line}\n`, true)).toEqual({ kind: 'card', card, source: line });
  });

  it('finds a card printed as the whole (pretty-printed) output', () => {
    const whole = JSON.stringify({ chatops: card }, null, 2);
    expect(findScriptCard(`${whole}\n`, true)).toMatchObject({ kind: 'card', source: whole });
  });

  it('ignores output without a card', () => {
    expect(findScriptCard('plain output\n{"not":"a card"}\n', true)).toEqual({ kind: 'none' });
    expect(findScriptCard('{broken json\n', true)).toEqual({ kind: 'none' });
    expect(findScriptCard('', true)).toEqual({ kind: 'none' });
  });

  it('names what is wrong with an invalid card', () => {
    expect(findScriptCard('{"chatops":{"title":"x","feilds":[]}}', true)).toMatchObject({
      kind: 'invalid',
      error: expect.stringContaining('feilds'),
    });
    expect(findScriptCard('{"chatops":{"actions":[{"label":"x","command":"a\\nb"}]}}', true)).toMatchObject({
      kind: 'invalid',
      error: 'chatops.actions.0.command: must be one line',
    });
  });
});

describe('scriptCardContent', () => {
  it('turns actions into shell.command buttons and pads table rows', () => {
    expect(
      scriptCardContent({
        title: 'Report',
        table: { columns: ['a', 'b'], rows: [['1']] },
        actions: [{ label: 'Fix', command: 'run fix web-1', style: 'danger', confirm: 'Sure?' }],
      }),
    ).toEqual({
      title: 'Report',
      table: { columns: ['a', 'b'], rows: [['1', '']] },
      actions: [
        {
          label: 'Fix',
          action: 'shell.command',
          args: { command: 'run fix web-1' },
          style: 'danger',
          confirm: 'Sure?',
        },
      ],
    });
  });
});
