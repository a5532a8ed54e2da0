import type { TestBot } from '@chatops/core/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fixture } from './process-state.js';
import { messageMatching, shellBot } from './shell-bot.js';

let bot: TestBot;
beforeAll(async () => {
  bot = await shellBot(
    {
      slow: {
        description: 'Works until stopped',
        command: fixture('steps.sh'),
        timeout: '1m',
        effect: 'read',
      },
    },
    { progress: { after: '50ms', every: '100ms' } },
  );
});
afterAll(() => bot.close());

describe('a long run', () => {
  it('shows one progress message with elapsed time, lines so far and Cancel, replaced by the result', async () => {
    const running = bot.say('alice', 'run slow', { channel: 'ops' });
    const progress = await messageMatching(bot, /slow is running/);
    await vi.waitFor(() => expect(progress.updates).toBeGreaterThanOrEqual(2), {
      timeout: 10_000,
      interval: 20,
    });
    expect(progress.card.fields).toEqual(
      expect.arrayContaining([
        { label: 'Output so far', value: '3 lines', short: true },
        { label: 'Requested by', value: 'alice', short: true },
        expect.objectContaining({ label: 'Elapsed' }),
      ]),
    );
    expect(progress.card.code).toBe('step 3');
    expect(progress.card.actions.map((action) => action.label)).toEqual(['Cancel']);

    await bot.click(progress, 'Cancel', 'alice');
    const replies = await running;
    expect(replies).toEqual([progress]);
    expect(progress.card.title).toBe('slow cancelled by alice');
    expect(progress.card.status).toBe('warn');
    expect(progress.card.actions).toEqual([]);
    expect(progress.card.code).toBe('step 1\nstep 2\nstep 3');
  });

  it('can be cancelled only by its requester or an admin', async () => {
    const running = bot.say('alice', 'run slow', { channel: 'ops' });
    const progress = await messageMatching(bot, /slow is running/);

    const refused = await bot.click(progress, 'Cancel', 'bob');
    expect(refused.map((message) => [message.private, message.text])).toEqual([
      [
        true,
        expect.stringContaining(
          'Only whoever started this run, or someone granted shell.cancel-others.slow, can cancel it.',
        ),
      ],
    ]);
    expect(bot.lastResult?.status).toBe('denied');
    expect(
      bot.audit.find(
        (record) =>
          record.principal === 'shell:bob' && record.event === 'decision' && record.decision !== 'allowed',
      ),
    ).toMatchObject({
      decision: 'denied',
      reason: 'only whoever started the run, or someone granted shell.cancel-others.slow, may cancel it',
    });
    // The button still works for someone allowed once the message shows a fresh one.
    await vi.waitFor(() => expect(progress.card.title).toBe('slow is running'));
    const updatesBefore = progress.updates;
    await vi.waitFor(() => expect(progress.updates).toBeGreaterThan(updatesBefore), {
      timeout: 10_000,
      interval: 20,
    });

    await bot.click(progress, 'Cancel', 'carol');
    await running;
    expect(progress.card.title).toBe('slow cancelled by carol');
  });
});
