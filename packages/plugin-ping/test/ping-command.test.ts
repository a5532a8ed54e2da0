import { createTestBot, type TestBot } from '@chatops/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { PingConfigInput } from '../src/index.js';
import { pingWith } from './support/ping-entry.js';
import { closedPort, startHttpServer } from './support/servers.js';
import { type SwitchableService, startSwitchableService } from './support/switchable-service.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((close) => close()));
});

async function service(status = 200): Promise<SwitchableService> {
  const started = await startSwitchableService(status);
  cleanups.push(started.close);
  return started;
}

async function botWith(targets: PingConfigInput['targets'], now?: () => number): Promise<TestBot> {
  const bot = await createTestBot({ plugins: [pingWith({ targets })], ...(now ? { now } : {}) });
  cleanups.push(bot.close);
  return bot;
}

describe('ping <target>', () => {
  it('answers HEALTHY with status code and latency, case-insensitively and by alias', async () => {
    const uat = await service();
    const bot = await botWith({ uat: { url: `${uat.url}/healthz`, aliases: ['acceptance'] } });
    for (const line of ['ping UAT', 'ping Acceptance']) {
      const [reply] = await bot.say('alice', line, { channel: 'ops' });
      expect(reply?.card).toMatchObject({ title: 'uat: HEALTHY', status: 'ok', actions: [] });
      const fields = Object.fromEntries(
        (reply?.card.fields ?? []).map((field) => [field.label, field.value]),
      );
      expect(fields).toMatchObject({ Endpoint: `${uat.url}/healthz`, Status: '200' });
      expect(fields['Latency']).toMatch(/^\d+ms$/);
    }
    expect(uat.requests).toHaveLength(2);
    expect(await bot.robot.metrics.render()).toContain(
      'chatops_ping_checks_total{target="uat",health="healthy"} 2',
    );
  });

  it('answers UNHEALTHY with the reason and Restart / Ping again buttons', async () => {
    const uat = await service(503);
    const bot = await botWith({ uat: { url: uat.url, restart: { command: 'run restart-uat' } } });
    const [reply] = await bot.say('alice', 'ping uat');
    expect(reply?.card).toMatchObject({
      title: 'uat: UNHEALTHY',
      status: 'danger',
      text: 'uat is UNHEALTHY: unexpected status 503 (expected 200-399)',
    });
    expect(reply?.card.actions.map(({ label, action, effect }) => ({ label, action, effect }))).toEqual([
      { label: 'Restart uat', action: 'ping.restart', effect: 'write' },
      { label: 'Ping again', action: 'ping.check', effect: 'read' },
    ]);
    expect(reply?.card.actions[0]?.confirm?.text).toBe('This runs `run restart-uat` as you.');
  });

  it('offers only Ping again when the target declares no restart', async () => {
    const port = await closedPort();
    const bot = await botWith({ db: { url: `tcp://127.0.0.1:${port}` } });
    const [reply] = await bot.say('alice', 'ping db');
    expect(reply?.card.text).toBe(`db is UNHEALTHY: connection refused by 127.0.0.1:${port}`);
    expect(reply?.card.actions.map((action) => action.label)).toEqual(['Ping again']);
  });

  it('lists the known targets for an unknown one and never fetches what was typed', async () => {
    const uat = await service();
    const bot = await botWith({ uat: { url: uat.url, aliases: ['acc'] }, prod: { url: uat.url } });
    const [reply] = await bot.say('alice', `ping ${uat.url}/`);
    expect(reply?.text).toContain(`Unknown target "${uat.url}/". Known targets: uat (acc), prod.`);
    expect(uat.requests).toHaveLength(0);
  });

  it('"Ping again" re-checks and replaces the message with the new state', async () => {
    const uat = await service(500);
    const bot = await botWith({ uat: { url: uat.url } });
    const [down] = await bot.say('alice', 'ping uat', { channel: 'ops' });
    uat.status = 200;
    const after = await bot.click(down!, 'Ping again', 'bob');
    expect(bot.lastResult?.status).toBe('ok');
    expect(after).toHaveLength(1);
    expect(after[0]?.ref).toEqual(down?.ref);
    expect(after[0]?.card.title).toBe('uat: HEALTHY');
    expect(bot.messages.filter((message) => message.conversation.id === 'ops')).toHaveLength(1);
  });
});

describe('ping (no target)', () => {
  it('lists every target with its last known state and when it was checked', async () => {
    let clock = Date.UTC(2030, 0, 1, 12, 0);
    const uat = await service();
    const bot = await botWith(
      { uat: { url: uat.url, aliases: ['acc'] }, prod: { url: uat.url } },
      () => clock,
    );
    await bot.say('alice', 'ping uat');
    clock += 3 * 60_000;
    const [reply] = await bot.say('alice', 'ping');
    expect(reply?.card.table).toEqual({
      columns: ['Target', 'Aliases', 'Last state', 'Checked', 'Reason'],
      rows: [
        ['uat', 'acc', 'HEALTHY', '3m ago', ''],
        ['prod', '', 'unknown', 'never', ''],
      ],
    });
    expect(uat.requests).toHaveLength(1);
  });
});

describe('ping all', () => {
  it('checks every target at once and answers one table', async () => {
    // Each server holds its answer until all three requests have arrived: checked one after the
    // other, the first would time out instead.
    const events: string[] = [];
    const held: (() => void)[] = [];
    const holdUntilAllArrived = (name: string) =>
      startHttpServer((_request, response) => {
        events.push(`request ${name}`);
        held.push(() => {
          events.push(`response ${name}`);
          response.end('ok');
        });
        if (held.length === 3) for (const release of held) release();
      });
    const servers = await Promise.all(['a', 'b', 'c'].map(holdUntilAllArrived));
    for (const server of servers) cleanups.push(server.close);
    const refused = await closedPort();
    const targets: PingConfigInput['targets'] = {};
    servers.forEach((server, index) => {
      targets['abc'.charAt(index)] = { url: server.url, timeout: '3s' };
    });
    targets['down'] = { url: `http://127.0.0.1:${refused}/` };
    const bot = await botWith(targets);

    const [reply] = await bot.say('alice', 'ping all');

    expect(events.slice(0, 3).every((event) => event.startsWith('request'))).toBe(true);
    expect(events.slice(3).every((event) => event.startsWith('response'))).toBe(true);
    expect(reply?.card.title).toBe('Ping all: 1 unhealthy, 3 healthy');
    expect(reply?.card.status).toBe('danger');
    expect(reply?.card.table?.rows.map((row) => [row[0], row[1], row[2], row[4]])).toEqual([
      ['a', 'HEALTHY', '200', ''],
      ['b', 'HEALTHY', '200', ''],
      ['c', 'HEALTHY', '200', ''],
      ['down', 'UNHEALTHY', '-', `connection refused by 127.0.0.1:${refused}`],
    ]);
  });
});
