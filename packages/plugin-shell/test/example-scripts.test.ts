import type { TestBot } from '@chatops/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleScript } from './example-path.js';
import { shellBot } from './shell-bot.js';

// The declarations of examples/chatops.config.yaml, with absolute paths.
const scripts = {
  'disk-usage': {
    description: 'Disk usage of a host ("local" is the bot’s own)',
    command: exampleScript('disk-usage.sh'),
    params: [
      { name: 'host', pattern: '[a-z0-9][a-z0-9.-]*', description: 'local, or a host reachable by ssh' },
    ],
    timeout: '30s',
    effect: 'read',
    expose: true,
  },
  'restart-demo': {
    description: 'Restarts a demo service (harmless)',
    command: exampleScript('restart-demo.sh'),
    params: [{ name: 'target', enum: ['uat', 'staging', 'demo'] }],
    effect: 'write',
    concurrency: 1,
  },
  'report-card': {
    description: 'A status card for the bot’s host',
    command: exampleScript('report-card.sh'),
    effect: 'read',
  },
};

let bot: TestBot;
beforeAll(async () => {
  bot = await shellBot(scripts, {}, [{ allow: 'shell.run.restart-demo', roles: ['ops'] }]);
});
afterAll(() => bot.close());

describe('the example scripts', () => {
  it('disk-usage reports the bot’s own host', async () => {
    const [reply] = await bot.say('dave', 'disk-usage local');
    expect(reply!.card.title).toBe('disk-usage finished');
    expect(reply!.card.code).toMatch(/^Filesystem .*\n[\s\S]*\nfullest: \d+% used on \//);
  });

  it('restart-demo is a write script for known targets only', async () => {
    await bot.say('dave', 'run restart-demo uat');
    expect(bot.lastResult?.status).toBe('denied');
    const refused = await bot.say('alice', 'run restart-demo prod');
    expect(refused[0]!.text).toMatch(/<target> must be one of uat, staging, demo/);
    const [reply] = await bot.say('alice', 'run restart-demo uat');
    expect(reply!.card.code).toBe(
      'restarting the uat service (demo: nothing is touched)\nrequested by shell:alice; uat is back up',
    );
  });

  it('report-card prints a card whose buttons run other scripts', async () => {
    const [reply] = await bot.say('dave', 'run report-card', { channel: 'ops' });
    expect(reply!.card.title).toMatch(/^Host report: /);
    expect(reply!.card.fields?.map((field) => field.label)).toEqual([
      'Load (1 min)',
      'Root filesystem used',
      'Up for',
    ]);
    expect(reply!.card.actions.map((action) => action.label)).toEqual(['Disk usage', 'Restart demo']);
    const after = await bot.click(reply!, 'Restart demo', 'alice');
    expect(after.find((message) => message.card.title === 'restart-demo finished')?.card.code).toMatch(
      /demo is back up$/,
    );
  });
});
