import type { TestBot } from '@chatops/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from './process-state.js';
import { shellBot } from './shell-bot.js';

let bot: TestBot;
beforeAll(async () => {
  bot = await shellBot({
    report: {
      description: 'Reports on hosts',
      command: fixture('card.sh'),
      params: [{ name: 'env', enum: ['uat', 'prod'] }],
      effect: 'read',
    },
    'bad-report': { description: 'Prints a broken card', command: fixture('bad-card.sh'), effect: 'read' },
    restart: {
      description: 'Restarts a host',
      command: fixture('restart.sh'),
      params: [{ name: 'host', pattern: '[a-z0-9-]+' }],
      effect: 'write',
    },
  });
});
afterAll(() => bot.close());

describe('a card printed by a script', () => {
  it('is rendered with its title, status, fields, table and buttons', async () => {
    const [reply] = await bot.say('dave', 'run report uat', { channel: 'ops' });
    const { card } = reply!;
    expect(card.title).toBe('Report for uat');
    expect(card.status).toBe('warn');
    expect(card.text).toBe('1 host needs a restart');
    expect(card.fields).toEqual([{ label: 'Checked', value: '2', short: true }]);
    expect(card.table).toEqual({
      columns: ['Host', 'State'],
      rows: [
        ['web-1', 'stale'],
        ['web-2', 'ok'],
      ],
    });
    expect(card.actions.map((action) => [action.label, action.action])).toEqual([
      ['Restart web-1', 'shell.command'],
    ]);
    expect(card.code).toBe('checking web-1');
    expect(card.footer).toMatch(/^report uat · exit 0 · .+ · 2 lines · requested by dave$/);
  });

  it('runs its button’s command line as the clicker, with the clicker’s permissions', async () => {
    const [reply] = await bot.say('dave', 'run report prod', { channel: 'ops' });

    const refused = await bot.click(reply!, 'Restart web-1', 'dave');
    expect(refused.map((message) => message.text).join('\n')).toMatch(/can't run "run restart web-1"/);
    expect(refused.some((message) => message.text.includes('restarted'))).toBe(false);

    const done = await bot.click(reply!, 'Restart web-1', 'alice');
    const result = done.find((message) => message.card.title === 'restart finished');
    expect(result?.card.code).toBe('restarted web-1 for shell:alice');
    expect(bot.audit).toContainEqual(
      expect.objectContaining({
        principal: 'shell:alice',
        permission: 'shell.run.restart',
        decision: 'allowed',
      }),
    );
  });

  it('has buttons that work once when the command they run is a write', async () => {
    const [reply] = await bot.say('dave', 'run report uat', { channel: 'ops' });
    const restarts = () =>
      bot.audit.filter((r) => r.permission === 'shell.run.restart' && r.outcome === 'ok');
    const before = restarts().length;

    const first = await bot.click(reply!, 'Restart web-1', 'alice');
    expect(first.some((message) => message.card.title === 'restart finished')).toBe(true);
    const again = await bot.click(reply!, 'Restart web-1', 'bob');
    expect(again.map((message) => message.text).join('\n')).toContain('This button was already used.');
    expect(again.some((message) => message.card.title === 'restart finished')).toBe(false);
    expect(restarts()).toHaveLength(before + 1);
  });

  it('is reported, not used, when it does not match the documented shape', async () => {
    const [reply] = await bot.say('dave', 'run bad-report');
    expect(reply!.card.title).toBe('bad-report finished');
    expect(reply!.card.text).toMatch(/^The script printed card JSON that was not used \(chatops: .*feilds/);
    expect(reply!.card.code).toBe('some output');
  });
});
