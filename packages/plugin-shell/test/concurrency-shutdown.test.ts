import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, isRunning } from './process-state.js';
import { messageMatching, shellBot } from './shell-bot.js';

let sandbox: string;
beforeAll(() => {
  sandbox = mkdtempSync(join(tmpdir(), 'shell-queue-'));
});
afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

const gated = {
  description: 'Works until its release file exists',
  command: fixture('steps.sh'),
  params: [{ name: 'release', pattern: '[\\w/.-]+' }],
  concurrency: 1,
  maxQueue: 1,
  effect: 'read',
};

describe('the concurrency limit', () => {
  it('queues extra runs, says so, runs them in turn and refuses when the queue is full', async () => {
    const bot = await shellBot({ gated }, { progress: { after: '50ms', every: '100ms' } });
    try {
      const first = join(sandbox, 'first');
      const second = join(sandbox, 'second');
      const firstRun = bot.say('alice', `run gated ${first}`, { channel: 'ops' });
      await messageMatching(bot, /gated is running/);

      const secondRun = bot.say('bob', `run gated ${second}`, { channel: 'ops' });
      const queued = await messageMatching(bot, /gated is queued/);
      expect(queued.card.text).toBe(
        'Another run is going (the limit for gated); this one is number 1 in the queue and starts when one finishes.',
      );

      const refused = await bot.say('carol', `run gated ${join(sandbox, 'third')}`, { channel: 'ops' });
      expect(refused.map((message) => message.text)).toEqual([
        expect.stringContaining('gated is busy (1 running, 1 waiting); try again later.'),
      ]);

      writeFileSync(first, '');
      const [firstResult] = await firstRun;
      expect(firstResult!.card.title).toBe('gated finished');
      await messageMatching(bot, /gated is running[\s\S]*bob/);
      writeFileSync(second, '');
      await secondRun;
      expect(queued.card.title).toBe('gated finished');
      expect(queued.card.code).toBe('step 1\nstep 2\nstep 3\ndone');
    } finally {
      await bot.close();
    }
  });

  it('lets a queued run be cancelled before it starts', async () => {
    const bot = await shellBot({ gated }, { progress: { after: '50ms', every: '100ms' } });
    try {
      const first = join(sandbox, 'cancel-first');
      const firstRun = bot.say('alice', `run gated ${first}`, { channel: 'ops' });
      await messageMatching(bot, /gated is running/);
      const secondRun = bot.say('bob', `run gated ${join(sandbox, 'never')}`, { channel: 'ops' });
      const queued = await messageMatching(bot, /gated is queued/);
      await bot.click(queued, 'Cancel', 'bob');
      await secondRun;
      expect(queued.card.title).toBe('gated never started (cancelled by bob)');
      writeFileSync(first, '');
      await firstRun;
    } finally {
      await bot.close();
    }
  });
});

describe('shutting the bot down', () => {
  it('terminates running scripts and reports it to each requester', async () => {
    const bot = await shellBot(
      {
        hang: {
          description: 'Ignores SIGTERM',
          command: fixture('ignore-term.sh'),
          timeout: '1h',
          effect: 'read',
        },
        slow: {
          description: 'Works until stopped',
          command: fixture('steps.sh'),
          timeout: '1h',
          effect: 'read',
        },
      },
      { progress: { after: '50ms', every: '100ms' } },
    );
    const hang = bot.say('alice', 'run hang', { channel: 'ops' });
    const slow = bot.say('bob', 'run slow', { channel: 'ops' });
    const hangProgress = await messageMatching(bot, /hang is running[\s\S]*child \d+/);
    const slowProgress = await messageMatching(bot, /slow is running/);
    const child = Number(/child (\d+)/.exec(hangProgress.text)?.[1]);

    await bot.close();
    await Promise.all([hang, slow]);
    for (const message of [hangProgress, slowProgress]) {
      expect(message.card.title).toMatch(
        /^(hang|slow) (stopped|terminated): the (robot|bot) is shutting down$/,
      );
      expect(message.card.status).toBe('warn');
    }
    expect(isRunning(child)).toBe(false);
  });
});
