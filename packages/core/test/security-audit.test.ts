import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatopsConfigInput, Context } from '../src/index.js';
import type { AuditRecord } from '../src/internal.js';
import { createTestBot, type TestBot } from '../src/testing/index.js';
import { createOpsPlugin } from './fixtures/security-ops-plugin.js';

const bots: TestBot[] = [];
afterEach(async () => {
  await Promise.all(bots.splice(0).map((bot) => bot.close()));
});

const SLACK_TOKEN = 'xoxb-1234567890-0987654321-AbCdEfGhIjKl';
const AWS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';

async function auditedBot(
  options: { auth?: ChatopsConfigInput['auth']; file?: boolean; onRun?: (ctx: Context) => void } = {},
) {
  const ops = createOpsPlugin({ ...(options.onRun ? { onRun: options.onRun } : {}) });
  const bot = await createTestBot({
    plugins: [ops.plugin],
    config: {
      auth: options.auth ?? { roles: { sre: ['shell:alice'] }, rules: [{ allow: 'ops.*', roles: ['sre'] }] },
      ...(options.file ? { audit: { enabled: true, fsync: true } } : {}),
    },
  });
  bots.push(bot);
  return { bot, calls: ops.calls };
}

function readLog(bot: TestBot): AuditRecord[] {
  return readFileSync(bot.robot.config.audit.path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AuditRecord);
}

/** Calls `look` each time the adapter is about to show a message, before it does. */
function beforeEachMessageShown(bot: TestBot, look: () => void): void {
  const send = bot.adapter.send.bind(bot.adapter);
  bot.adapter.send = (message) => {
    look();
    return send(message);
  };
}

describe('audit is written before the user sees the result', () => {
  it('has the allowed line when the handler runs and the outcome line when say resolves (sink)', async () => {
    const seen: AuditRecord[][] = [];
    let bot!: TestBot;
    ({ bot } = await auditedBot({
      onRun: (ctx) => {
        seen.push(bot.audit.filter((record) => record.id === ctx.id).map((record) => ({ ...record })));
      },
    }));

    await bot.say('alice', 'restart uat', { channel: 'ops' });
    const id = bot.lastResult!.correlationId;

    expect(seen).toEqual([
      [expect.objectContaining({ id, event: 'decision', decision: 'allowed', target: 'restart' })],
    ]);
    expect(bot.audit.filter((record) => record.id === id)).toEqual([
      expect.objectContaining({ decision: 'allowed' }),
      expect.objectContaining({ event: 'outcome', outcome: 'ok', durationMs: expect.any(Number) }),
    ]);
  });

  it('has the line in the audit file before the handler runs and before the reply is shown', async () => {
    const inHandler: AuditRecord[][] = [];
    const atSend: AuditRecord[][] = [];
    let bot!: TestBot;
    ({ bot } = await auditedBot({
      file: true,
      onRun: () => {
        inHandler.push(readLog(bot));
      },
    }));
    beforeEachMessageShown(bot, () => atSend.push(readLog(bot)));

    const [reply] = await bot.say('alice', 'restart uat', { channel: 'ops' });
    const id = bot.lastResult!.correlationId;

    expect(reply!.text).toBe('Restarted uat');
    expect(inHandler).toEqual([
      [expect.objectContaining({ id, decision: 'allowed', principal: 'shell:alice' })],
    ]);
    expect(atSend).toEqual([[expect.objectContaining({ id, decision: 'allowed' })]]);
    expect(readLog(bot)).toEqual([
      expect.objectContaining({ id, seq: 1, decision: 'allowed' }),
      expect.objectContaining({ id, seq: 2, outcome: 'ok' }),
    ]);
  });

  it('has the denied line in the audit file before the denial is shown', async () => {
    const atSend: AuditRecord[][] = [];
    const { bot, calls } = await auditedBot({ file: true });
    beforeEachMessageShown(bot, () => atSend.push(readLog(bot)));

    const [denial] = await bot.say('bob', 'restart uat', { channel: 'ops' });

    expect(calls).toHaveLength(0);
    expect(denial!.private).toBe(true);
    expect(atSend).toEqual([
      [expect.objectContaining({ principal: 'shell:bob', decision: 'denied', reason: 'needs role sre' })],
    ]);
  });

  it('has the invalid-token line in the audit file before the refusal is shown', async () => {
    const atSend: AuditRecord[][] = [];
    const { bot } = await auditedBot({ file: true });
    const [card] = await bot.say('alice', 'health uat', { channel: 'ops' });
    beforeEachMessageShown(bot, () => atSend.push(readLog(bot)));

    const forged = {
      ...card!,
      card: { ...card!.card, actions: [{ ...card!.card.actions[0]!, token: 'v1.a.b' }] },
    };
    await bot.click(forged, 0, 'alice');

    expect(atSend).toHaveLength(1);
    expect(atSend[0]!.at(-1)).toMatchObject({ decision: 'invalid-token', reason: 'bad-signature' });
  });
});

describe('secrets in arguments', () => {
  it('redacts a --token option and credential-looking values in the audit records', async () => {
    const { bot, calls } = await auditedBot({ file: true });

    await bot.say('alice', `deploy ${AWS_KEY_ID} --token ${SLACK_TOKEN}`, { channel: 'ops' });

    expect(calls[0]!.args).toMatchObject({ target: AWS_KEY_ID, token: SLACK_TOKEN });
    const records = bot.audit.filter((record) => record.target === 'deploy');
    expect(records).toHaveLength(2);
    for (const record of records)
      expect(record.args).toMatchObject({ target: '[redacted]', token: '[redacted]' });
    const file = readFileSync(bot.robot.config.audit.path, 'utf8');
    expect(file).toContain('[redacted]');
    expect(file).not.toContain(SLACK_TOKEN);
    expect(file).not.toContain(AWS_KEY_ID);
  });

  it('redacts an AWS secret access key given as an argument, in the records and the file', async () => {
    const { bot, calls } = await auditedBot({ file: true });
    const secretKey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

    await bot.say('alice', `deploy ${secretKey}`, { channel: 'ops' });

    expect(calls[0]!.args).toMatchObject({ target: secretKey });
    const records = bot.audit.filter((record) => record.target === 'deploy');
    expect(records).toHaveLength(2);
    for (const record of records) expect(record.args).toMatchObject({ target: '[redacted]' });
    expect(readFileSync(bot.robot.config.audit.path, 'utf8')).not.toContain(secretKey);
  });

  it('redacts secrets in the line of a denied request too', async () => {
    const { bot } = await auditedBot({ file: true });
    await bot.say('bob', `deploy uat --token ${SLACK_TOKEN}`);

    expect(bot.audit).toEqual([
      expect.objectContaining({
        decision: 'denied',
        args: expect.objectContaining({ token: '[redacted]', target: 'uat' }),
      }),
    ]);
    expect(readFileSync(bot.robot.config.audit.path, 'utf8')).not.toContain(SLACK_TOKEN);
  });

  it('redacts secrets in the error of a failed run, in the file and in the sinks', async () => {
    for (const file of [true, false]) {
      const { bot } = await auditedBot({ file });
      const [reply] = await bot.say('alice', 'login db --password hunter2hunter2');

      expect(reply!.private).toBe(true);
      expect(reply!.text).toContain(`(ref ${bot.lastResult!.correlationId})`);
      const outcome = bot.audit.find((record) => record.event === 'outcome');
      expect(outcome).toMatchObject({ outcome: 'error', args: { password: '[redacted]' } });
      expect(outcome!.error, file ? 'file' : 'sinks only').toContain('failed with password=[redacted]');
      expect(JSON.stringify(bot.audit)).not.toContain('hunter2');
      if (file) expect(readFileSync(bot.robot.config.audit.path, 'utf8')).not.toContain('hunter2');
    }
  });

  it('redacts the keys named in audit.redactKeys', async () => {
    const ops = createOpsPlugin();
    const bot = await createTestBot({
      plugins: [ops.plugin],
      config: { auth: { defaults: { write: 'allow' } }, audit: { enabled: false, redactKeys: ['target'] } },
    });
    bots.push(bot);
    await bot.say('alice', 'restart customer-42');
    expect(bot.audit.map((record) => record.args['target'])).toEqual(['[redacted]', '[redacted]']);
  });
});

describe('the audit chat command', () => {
  it('shows recent entries only to the roles a rule grants core.audit.read', async () => {
    const { bot } = await auditedBot({
      file: true,
      auth: {
        roles: { sre: ['shell:alice'], auditors: ['shell:carol'] },
        rules: [
          { allow: 'ops.*', roles: ['sre'] },
          { allow: 'core.audit.read', roles: ['auditors'] },
        ],
      },
    });
    await bot.say('alice', 'restart uat');

    const [entries] = await bot.say('carol', 'audit -n 3');
    expect(entries!.card.title).toBe('Last 3 audit entries');
    const lines = entries!.card.code!.split('\n');
    expect(lines[0]).toContain('alice (shell:alice) allowed restart target=uat');
    expect(lines[1]).toContain('alice (shell:alice) ok restart target=uat');
    // The request for the entries is itself recorded before they are read.
    expect(lines[2]).toContain('carol (shell:carol) allowed audit');

    const [denied] = await bot.say('alice', 'audit');
    expect(denied!.private).toBe(true);
    expect(denied!.text).toContain('needs role auditors');
  });
});
