import { afterEach, describe, expect, it } from 'vitest';
import type { ChatopsConfigInput } from '../src/index.js';
import { MemoryStore } from '../src/internal.js';
import { createTestBot, type TestBot, type TestMessage } from '../src/testing/index.js';
import { createOpsPlugin } from './fixtures/security-ops-plugin.js';

const bots: TestBot[] = [];
afterEach(async () => {
  await Promise.all(bots.splice(0).map((bot) => bot.close()));
});

const SRE_MAY_RESTART: ChatopsConfigInput['auth'] = {
  roles: { sre: ['shell:alice', 'shell:carol'] },
  rules: [{ allow: 'ops.restart', roles: ['sre'] }],
};

/** A bot on a clock the test moves, and the "uat is degraded" card alice asked for in #ops. */
async function botWithCard(auth: ChatopsConfigInput['auth'] = SRE_MAY_RESTART, asker = 'alice') {
  let time = Date.parse('2030-01-01T00:00:00Z');
  const ops = createOpsPlugin();
  const bot = await createTestBot({
    plugins: [ops.plugin],
    config: { auth, actions: { ttl: '10m' } },
    now: () => time,
  });
  bots.push(bot);
  const [card] = await bot.say(asker, 'health uat', { channel: 'ops' });
  return {
    bot,
    card: card!,
    /** Handler runs after the card was posted. */
    clicks: () => ops.calls.filter((call) => call.target !== 'health'),
    advance: (milliseconds: number) => {
      time += milliseconds;
    },
  };
}

/** The card with the token of its `label` button replaced, as a client could send it. */
function withToken(message: TestMessage, label: string, token: string): TestMessage {
  return {
    ...message,
    card: {
      ...message.card,
      actions: message.card.actions.map((action) => (action.label === label ? { ...action, token } : action)),
    },
  };
}

function tokenOf(message: TestMessage, label: string): string {
  const action = message.card.actions.find((candidate) => candidate.label === label);
  if (!action) throw new Error(`no button ${label}`);
  return action.token;
}

function lastDecision(bot: TestBot) {
  return bot.audit.filter((record) => record.event === 'decision').at(-1);
}

describe('refused action tokens', () => {
  it('refuses a forged token (a random string) privately, audits it, runs nothing', async () => {
    const { bot, card, clicks } = await botWithCard();
    const replies = await bot.click(
      withToken(card, 'Restart uat', 'v1.Zm9yZ2Vk.c2lnbmF0dXJl'),
      'Restart uat',
      'alice',
    );
    await bot.click(withToken(card, 'Restart uat', 'not-even-a-token'), 'Restart uat', 'alice');

    expect(clicks()).toHaveLength(0);
    expect(bot.lastResult?.status).toBe('denied');
    expect(replies).toHaveLength(1);
    expect(replies[0]!.private).toBe(true);
    expect(replies[0]!.text).toContain('This button is not valid (its signature does not match).');
    expect(card.updates).toBe(0);
    const refusals = bot.audit.filter((record) => record.decision === 'invalid-token');
    expect(refusals.map((record) => [record.principal, record.reason])).toEqual([
      ['shell:alice', 'bad-signature'],
      ['shell:alice', 'malformed'],
    ]);
  });

  it('refuses a tampered token (payload edited, signature kept)', async () => {
    const { bot, card, clicks } = await botWithCard();
    const [version, body, signature] = tokenOf(card, 'Restart uat').split('.');
    const payload = JSON.parse(Buffer.from(body!, 'base64url').toString('utf8'));
    expect(payload.g).toEqual({ target: 'uat' });
    payload.g = { target: 'prod' };
    const tampered = [version, Buffer.from(JSON.stringify(payload)).toString('base64url'), signature].join(
      '.',
    );

    const replies = await bot.click(withToken(card, 'Restart uat', tampered), 'Restart uat', 'alice');

    expect(clicks()).toHaveLength(0);
    expect(replies[0]!.private).toBe(true);
    expect(replies[0]!.text).toContain('its signature does not match');
    expect(lastDecision(bot)).toMatchObject({
      decision: 'invalid-token',
      reason: 'bad-signature',
      kind: 'action',
    });
  });

  it('refuses an expired token once the clock passes the ttl', async () => {
    const { bot, card, clicks, advance } = await botWithCard();
    advance(10 * 60 * 1000);

    const replies = await bot.click(card, 'Restart uat', 'alice');

    expect(clicks()).toHaveLength(0);
    expect(replies[0]!.private).toBe(true);
    expect(replies[0]!.text).toContain('This button has expired. Run the command again for a fresh one.');
    expect(lastDecision(bot)).toMatchObject({ decision: 'invalid-token', reason: 'expired' });
  });

  it('accepts a token just before it expires', async () => {
    const { bot, card, clicks, advance } = await botWithCard();
    advance(10 * 60 * 1000 - 1);
    await bot.click(card, 'Restart uat', 'alice');
    expect(clicks()).toEqual([expect.objectContaining({ target: 'ops.restart', args: { target: 'uat' } })]);
  });

  it('refuses a second click on a write button (replay), even by someone else', async () => {
    const { bot, card, clicks } = await botWithCard();
    const original = { ...card };

    await bot.click(original, 'Restart uat', 'alice');
    const again = await bot.click(original, 'Restart uat', 'alice');
    const carol = await bot.click(original, 'Restart uat', 'carol');

    expect(clicks()).toHaveLength(1);
    expect(again[0]!.private).toBe(true);
    expect(again[0]!.text).toContain('This button was already used.');
    expect(carol[0]!.text).toContain('This button was already used.');
    expect(bot.audit.filter((record) => record.reason === 'replayed')).toEqual([
      expect.objectContaining({ principal: 'shell:alice', decision: 'invalid-token', target: 'ops.restart' }),
      expect.objectContaining({ principal: 'shell:carol', decision: 'invalid-token', target: 'ops.restart' }),
    ]);
  });

  it('remembers used write buttons across a restart that keeps the store', async () => {
    const store = new MemoryStore();
    const start = async () => {
      const ops = createOpsPlugin();
      const bot = await createTestBot({ plugins: [ops.plugin], store, config: { auth: SRE_MAY_RESTART } });
      bots.push(bot);
      return { bot, calls: ops.calls };
    };
    const first = await start();
    const [card] = await first.bot.say('alice', 'health uat', { channel: 'ops' });
    const original = { ...card! };
    await first.bot.click(original, 'Restart uat', 'alice');
    await first.bot.robot.stop();

    // No secret in config: the generated one is kept in the store, so the old button still verifies.
    const second = await start();
    const replies = await second.bot.click(original, 'Restart uat', 'carol');
    expect(replies[0]!.text).toContain('This button was already used.');
    expect(second.calls).toHaveLength(0);
    expect(first.calls.map((call) => call.target)).toEqual(['health', 'ops.restart']);
  });

  it('lets a read button be clicked again', async () => {
    const { bot, card, clicks } = await botWithCard();
    const original = { ...card };
    await bot.click(original, 'Details', 'alice');
    await bot.click(original, 'Details', 'bob');
    expect(clicks().map((call) => call.user)).toEqual(['shell:alice', 'shell:bob']);
  });

  it('refuses a token clicked in another conversation than the one it was posted to', async () => {
    const { bot, card, clicks } = await botWithCard();
    const moved: TestMessage = { ...card, conversation: { id: 'dev', name: 'dev', kind: 'channel' } };

    const replies = await bot.click(moved, 'Restart uat', 'alice');

    expect(clicks()).toHaveLength(0);
    expect(replies[0]!.private).toBe(true);
    expect(replies[0]!.text).toContain('This button belongs to another conversation.');
    expect(lastDecision(bot)).toMatchObject({
      decision: 'invalid-token',
      reason: 'wrong-conversation',
      conversation: { id: 'dev' },
    });
  });

  it('refuses a validly signed token for an action the bot does not have', async () => {
    const { bot, card, clicks } = await botWithCard();
    const token = bot.robot.tokens.sign({
      action: 'ops.self-destruct',
      args: {},
      conversation: 'ops',
      expires: bot.robot.now() + 60_000,
      nonce: 'n1',
    });

    const replies = await bot.click(withToken(card, 'Restart uat', token), 'Restart uat', 'alice');

    expect(clicks()).toHaveLength(0);
    expect(replies[0]!.text).toContain('This button is for an action the bot no longer has.');
    expect(lastDecision(bot)).toMatchObject({ decision: 'invalid-token', reason: 'unknown-action' });
  });
});

describe('who a click runs as', () => {
  it('authorizes the clicker, not the requester: bob without the role is denied, carol with it runs it', async () => {
    const { bot, card, clicks } = await botWithCard();

    const bob = await bot.click(card, 'Restart uat', 'bob');
    expect(clicks()).toHaveLength(0);
    expect(bob).toHaveLength(1);
    expect(bob[0]!.private).toBe(true);
    expect(bob[0]!.to).toBe('bob');
    expect(bob[0]!.text).toContain('needs role sre');
    expect(card.updates).toBe(0);
    expect(lastDecision(bot)).toMatchObject({
      principal: 'shell:bob',
      target: 'ops.restart',
      decision: 'denied',
    });

    const carol = await bot.click(card, 'Restart uat', 'carol');
    expect(clicks()).toEqual([expect.objectContaining({ target: 'ops.restart', user: 'shell:carol' })]);
    expect(carol).toEqual([card]);
    expect(card.updates).toBe(1);
    expect(card.private).toBe(false);
    expect(card.text).toContain('uat restarted');
    expect(card.text).toContain('by @carol');
    // The used write button is gone; the read button stays.
    expect(card.card.actions.map((action) => action.label)).toEqual(['Details']);
    expect(bot.messages.filter((message) => message.ref.id === card.ref.id)).toHaveLength(1);
  });

  it('lets a clicker with the role run a button from a card someone without it asked for', async () => {
    const { bot, card, clicks } = await botWithCard(SRE_MAY_RESTART, 'dave');
    await bot.click(card, 'Restart uat', 'carol');
    expect(clicks()).toEqual([expect.objectContaining({ user: 'shell:carol' })]);
    expect(bot.audit.filter((record) => record.kind === 'action').map((record) => record.principal)).toEqual([
      'shell:carol',
      'shell:carol',
    ]);
  });

  it('checks the channel condition where the button is clicked', async () => {
    const { bot, clicks } = await botWithCard({
      roles: { sre: ['shell:alice'] },
      rules: [{ allow: 'ops.restart', roles: ['sre'], channels: ['#ops'] }],
    });
    const [dmCard] = await bot.say('alice', 'health uat');
    const replies = await bot.click(dmCard!, 'Restart uat', 'alice');
    expect(clicks()).toHaveLength(0);
    expect(replies[0]!.text).toContain('allowed only in #ops');
  });
});
