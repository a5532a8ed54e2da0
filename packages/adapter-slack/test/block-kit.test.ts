import type { RenderedAction, RenderedCard } from '@chatops/core';
import { describe, expect, it } from 'vitest';
import { validateBlocks } from '../src/emulator/block-validation.js';
import { LIMITS, renderMessage } from '../src/index.js';

const card = (overrides: Partial<RenderedCard>): RenderedCard => ({ actions: [], ...overrides });
const action = (overrides: Partial<RenderedAction> = {}): RenderedAction => ({
  label: 'Restart',
  action: 'ping.restart',
  style: 'default',
  effect: 'read',
  token: 'tok.en',
  ...overrides,
});
const allText = (value: unknown) => JSON.stringify(value);

describe('renderMessage (Block Kit)', () => {
  it('renders title with status emoji, text, fields, table, code, buttons and footer', () => {
    const message = renderMessage(
      card({
        title: 'Disk usage',
        status: 'warn',
        text: 'web-1 is filling up',
        fields: [
          { label: 'Host', value: 'web-1', short: true },
          { label: 'Used', value: '91%', short: true },
          { label: 'Notes', value: 'long field' },
        ],
        table: { columns: ['mount', 'used'], rows: [['/', '91%']] },
        code: 'df -h',
        footer: 'checked by cron',
        actions: [
          action({
            label: 'Clean up',
            style: 'danger',
            effect: 'write',
            confirm: { title: 'Sure?', text: 'Delete logs?' },
          }),
        ],
      }),
    );
    expect(message.blocks.map((block) => block.type)).toEqual([
      'header',
      'section',
      'section',
      'section',
      'section',
      'section',
      'actions',
      'context',
    ]);
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: ':large_yellow_circle: Disk usage', emoji: true },
    });
    expect(message.blocks[2]).toMatchObject({ fields: [{ text: '*Host*\nweb-1' }, { text: '*Used*\n91%' }] });
    expect(allText(message.blocks[4])).toContain('```\\nmount  used\\n-----  ----\\n/      91%\\n```');
    expect(message.blocks[6]).toEqual({
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: 'chatops.0.ping.restart',
          text: { type: 'plain_text', text: 'Clean up', emoji: true },
          value: 'tok.en',
          style: 'danger',
          confirm: {
            title: { type: 'plain_text', text: 'Sure?', emoji: true },
            text: { type: 'plain_text', text: 'Delete logs?', emoji: true },
            confirm: { type: 'plain_text', text: 'Yes', emoji: true },
            deny: { type: 'plain_text', text: 'Cancel', emoji: true },
            style: 'danger',
          },
        },
      ],
    });
    expect(message.text).toBe(':large_yellow_circle: Disk usage: web-1 is filling up');
    expect(message.files).toEqual([]);
    expect(validateBlocks(message.blocks)).toBeUndefined();
  });

  it('leaves out style for default buttons and puts the status emoji in the text when there is no title', () => {
    const message = renderMessage(card({ status: 'ok', text: 'all good', actions: [action()] }));
    expect(message.blocks[0]).toMatchObject({
      type: 'section',
      text: { text: ':large_green_circle: all good', verbatim: true },
    });
    expect(message.blocks[1]).toMatchObject({ type: 'actions', elements: [{ value: 'tok.en' }] });
    expect((message.blocks[1] as { elements: object[] }).elements[0]).not.toHaveProperty('style');
  });

  it('escapes every piece of card text so it cannot mention, broadcast or link', () => {
    const hostile = '<!channel> <@U123> <https://evil.example|click> & @here';
    const message = renderMessage(
      card({
        title: hostile,
        text: hostile,
        fields: [{ label: hostile, value: hostile }],
        table: { columns: [hostile], rows: [[hostile]] },
        code: hostile,
        footer: hostile,
        actions: [
          action({
            label: hostile,
            confirm: { title: hostile, text: hostile, ok: hostile, dismiss: hostile },
          }),
        ],
      }),
    );
    const text = allText(message);
    expect(text).not.toMatch(/<[!@#]|<https?:/);
    expect(text).not.toMatch(/@here/);
    expect(text).toContain(
      '&lt;!channel&gt; &lt;@U123&gt; &lt;https://evil.example|click&gt; &amp; @\u200bhere',
    );
  });

  it('keeps code from closing its block early', () => {
    const message = renderMessage(card({ code: 'a ``` b' }));
    const code = (message.blocks[0] as { text: { text: string } }).text.text;
    expect(code.startsWith('```\n')).toBe(true);
    expect(code.slice(4, -4)).not.toContain('```');
  });

  it('splits long text into sections within the section limit', () => {
    const text = Array.from({ length: 200 }, (_, index) => `line ${index} ${'x'.repeat(30)}`).join('\n');
    const message = renderMessage(card({ text }));
    expect(message.blocks.length).toBeGreaterThan(2);
    for (const block of message.blocks) {
      expect((block as { text: { text: string } }).text.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
    }
    expect(message.files).toEqual([]);
    expect(validateBlocks(message.blocks)).toBeUndefined();
  });

  it('turns output too long for a message into a preview plus the full text as a file', () => {
    const code = Array.from({ length: 2000 }, (_, index) => `row ${index}`).join('\n');
    const message = renderMessage(card({ title: 'Big Report', code, actions: [action()] }));
    expect(validateBlocks(message.blocks)).toBeUndefined();
    expect(allText(message.blocks)).toMatch(/more lines in the attached file/);
    expect(message.blocks.at(-1)).toMatchObject({ type: 'actions' });
    expect(message.files).toHaveLength(1);
    expect(message.files[0]).toMatchObject({ name: 'big-report.txt', title: 'Big Report' });
    expect(message.files[0]!.content).toContain('row 1999');
  });

  it('keeps huge text, many fields and a wide table inside the block and character limits', () => {
    const message = renderMessage(
      card({
        title: 't'.repeat(500),
        text: 'word '.repeat(20_000),
        fields: Array.from({ length: 120 }, (_, index) => ({
          label: `f${index}`,
          value: 'v'.repeat(3000),
          short: index % 2 === 0,
        })),
        table: {
          columns: ['a', 'b'],
          rows: Array.from({ length: 500 }, () => ['x'.repeat(40), 'y'.repeat(40)]),
        },
        actions: Array.from({ length: 30 }, (_, index) =>
          action({ label: `Button ${index} ${'l'.repeat(100)}` }),
        ),
      }),
    );
    expect(message.blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
    expect(validateBlocks(message.blocks)).toBeUndefined();
    expect(message.files.map((file) => file.name)).toEqual(['tttttttttttttttttttttttttttttttttttttttt.txt']);
    expect(message.blocks.filter((block) => block.type === 'actions')).toHaveLength(2);
  });

  it('refuses an action token too long for a button value', () => {
    expect(() => renderMessage(card({ actions: [action({ token: 'x'.repeat(2001) })] }))).toThrow(
      /2000-character/,
    );
  });

  it('attaches the card file', () => {
    const message = renderMessage(card({ text: 'report', file: { name: 'r.csv', content: 'a,b' } }));
    expect(message.files).toEqual([{ name: 'r.csv', content: 'a,b' }]);
  });
});
