import type { ChatopsConfigInput } from '@chatops/core';
import type { TestBot } from '@chatops/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { compatBot } from './support/compat-bot.js';

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

/** deploy.js with no effect given: `write`, the default. */
const deployScript = { scripts: [{ path: './scripts/deploy.js' }] };
const texts = (messages: { text: string }[]) => messages.map((message) => message.text);

function deployBot(auth: ChatopsConfigInput['auth']) {
  return compatBot(deployScript, { config: { auth } });
}

describe('a write-effect legacy listener', () => {
  it('is denied without a rule, and the denial is audited with its permission', async () => {
    bot = await deployBot({ roles: { dev: ['shell:*'] } });
    const [reply] = await bot.say('alice', 'deploy web', { channel: 'ops' });
    expect(reply!.private).toBe(true);
    expect(reply!.text).toContain(`You can't run "deploy web"`);
    expect(bot.lastResult?.status).toBe('denied');
    expect(bot.audit).toEqual([
      expect.objectContaining({
        event: 'decision',
        decision: 'denied',
        kind: 'listener',
        target: 'hubot.deploy.deploy',
        permission: 'hubot.deploy.deploy',
        effect: 'write',
        principal: 'shell:alice',
      }),
    ]);
  });

  it('runs with a rule that grants its permission, audited before and after', async () => {
    bot = await deployBot({
      roles: { dev: ['shell:*'] },
      rules: [{ allow: 'hubot.deploy.*', roles: ['dev'] }],
    });
    expect(texts(await bot.say('alice', 'deploy web', { channel: 'ops' }))).toEqual(['alice: deploying web']);
    expect(
      bot.audit.map((record) => [record.event, record.decision ?? record.outcome, record.permission]),
    ).toEqual([
      ['decision', 'allowed', 'hubot.deploy.deploy'],
      ['outcome', 'ok', 'hubot.deploy.deploy'],
    ]);
  });

  it('is not listed in help for whoever may not run it', async () => {
    bot = await deployBot({
      roles: { dev: ['shell:alice'] },
      rules: [{ allow: 'hubot.deploy.deploy', roles: ['dev'] }],
    });
    const [forAlice] = await bot.say('alice', 'help');
    expect(forAlice!.text).toContain('deploy <service> - Deploys <service>');
    const [forBob] = await bot.say('bob', 'help');
    expect(forBob!.text).not.toContain('deploy <service>');
  });

  it('goes through an approval when the rule asks for one, then runs as the requester', async () => {
    bot = await deployBot({
      roles: { dev: ['shell:*'], admin: ['shell:carol'] },
      rules: [{ allow: 'hubot.deploy.deploy', roles: ['dev'], approval: { roles: ['admin'], count: 1 } }],
    });
    const [card] = await bot.say('alice', 'deploy web', { channel: 'ops' });
    expect(bot.lastResult?.status).toBe('pending');
    expect(card!.card.title).toBe('Approval needed');
    expect(card!.text).toContain('alice wants to run: deploy web');
    expect(bot.messages.some((message) => message.text.includes('deploying'))).toBe(false);

    const afterClick = await bot.click(card!, 'Approve', 'carol');
    expect(texts(afterClick)).toContain('alice: deploying web');
    expect(
      bot.audit
        .filter((record) => record.permission === 'hubot.deploy.deploy')
        .map((record) => record.decision ?? record.outcome),
    ).toEqual(['approval-requested', 'approved', 'allowed', 'ok']);
    expect(bot.audit.find((record) => record.outcome === 'ok')).toMatchObject({
      principal: 'shell:alice',
      approver: 'shell:carol',
      kind: 'listener',
    });
  });

  it('is rate limited like any command', async () => {
    bot = await compatBot(
      { scripts: [{ path: './scripts/deploy.js', effect: 'read' }] },
      { config: { auth: { rateLimit: { burst: 1, perMinute: 1 } } } },
    );
    expect(texts(await bot.say('alice', 'deploy web'))).toEqual(['alice: deploying web']);
    const [limited] = await bot.say('alice', 'deploy web');
    expect(limited!.text).toContain('Slow down');
    expect(bot.audit.at(-1)).toMatchObject({ decision: 'rate-limited', permission: 'hubot.deploy.deploy' });
  });
});
