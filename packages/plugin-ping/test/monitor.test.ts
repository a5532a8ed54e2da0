import type { Store } from '@chatops/core';
import { createTestBot, MemoryStore, type TestBot } from '@chatops/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { MONITOR_JOB_NAME, type PingConfigInput } from '../src/index.js';
import { pingWith } from './support/ping-entry.js';
import { startSwitchableService } from './support/switchable-service.js';

const MINUTE_MS = 60_000;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((close) => close()));
});

/** A fake clock, a shared store and a way to (re)start the bot on them. */
async function setUp() {
  const uat = await startSwitchableService();
  cleanups.push(uat.close);
  const clock = { now: Date.UTC(2030, 0, 1, 9, 0) };
  const store: Store = new MemoryStore({ now: () => clock.now });
  const pluginConfig: PingConfigInput = {
    targets: { uat: { url: uat.url, restart: { command: 'run restart-uat' } } },
    monitor: { every: '1m', notify: 'ops', failures: 2, remindEvery: '30m' },
  };
  const start = async (): Promise<TestBot> => {
    const bot = await createTestBot({
      plugins: [pingWith(pluginConfig)],
      config: { notifications: { ops: { shell: 'ops' } } },
      now: () => clock.now,
      store,
    });
    cleanups.push(bot.close);
    return bot;
  };
  /** Moves the clock on and runs the monitor job; the titles of what it posted or updated. */
  const tick = async (bot: TestBot, advanceMs = MINUTE_MS) => {
    clock.now += advanceMs;
    const messages = await bot.runJob(MONITOR_JOB_NAME);
    return messages.map((message) => message.card.title ?? message.text);
  };
  return { uat, clock, start, tick };
}

describe('monitor', () => {
  it('alerts once after N failures, reminds, survives a bot restart and announces the recovery', async () => {
    const { uat, start, tick } = await setUp();
    let bot = await start();

    expect(await tick(bot)).toEqual([]);
    uat.status = 500;
    expect(await tick(bot)).toEqual([]);
    const alertMessages = await bot.runJob(MONITOR_JOB_NAME);
    expect(alertMessages.map((message) => message.card.title)).toEqual(['ALERT: uat is UNHEALTHY']);
    const [alert] = alertMessages;
    expect(alert?.conversation.id).toBe('ops');
    expect(alert?.card.text).toBe(
      'uat is UNHEALTHY: unexpected status 500 (expected 200-399) (2 failed checks in a row since 2030-01-01 09:02 UTC)',
    );
    expect(alert?.card.actions.map((action) => action.label)).toEqual(['Restart uat', 'Ping again']);

    expect(await tick(bot)).toEqual([]);
    expect(await tick(bot, 28 * MINUTE_MS)).toEqual([]);
    expect(await tick(bot)).toEqual(['STILL DOWN: uat is UNHEALTHY for 30m']);

    // A restart of the bot on the same store neither re-alerts nor forgets the outage.
    await bot.close();
    bot = await start();
    expect(await tick(bot)).toEqual([]);
    expect(await tick(bot, 29 * MINUTE_MS)).toEqual(['STILL DOWN: uat is UNHEALTHY for 1h']);

    // The alert posted before the restart is still known (its reference is in the store) and is resolved.
    uat.status = 200;
    expect(await tick(bot)).toEqual([
      'RECOVERED: uat is HEALTHY again',
      'RESOLVED: uat was UNHEALTHY for 1h 1m',
    ]);
    const recovery = bot.messages.find((message) => message.card.title?.startsWith('RECOVERED'));
    expect(recovery?.card.text).toBe('uat is HEALTHY again after 1h 1m down.');
    expect(recovery?.card.status).toBe('ok');
    expect(await tick(bot)).toEqual([]);
  });

  it('marks the alert resolved and takes its buttons away on recovery', async () => {
    const { uat, start, tick } = await setUp();
    const bot = await start();
    uat.status = 503;
    await tick(bot);
    const [alert] = await bot.runJob(MONITOR_JOB_NAME);
    uat.status = 200;
    const posted = await tick(bot);

    expect(posted).toEqual(['RECOVERED: uat is HEALTHY again', 'RESOLVED: uat was UNHEALTHY for 1m']);
    const resolved = bot.messages.find((message) => message.ref.id === alert?.ref.id);
    expect(resolved?.card.actions).toEqual([]);
    expect(resolved?.updates).toBe(1);
  });

  it('does not alert on a target that flaps between up and down', async () => {
    const { uat, start, tick } = await setUp();
    const bot = await start();
    const posted: string[] = [];
    for (const status of [500, 200, 500, 200, 500, 200]) {
      uat.status = status;
      posted.push(...(await tick(bot)));
    }
    expect(posted).toEqual([]);
    expect(uat.requests).toHaveLength(6);
  });

  it('keeps the last known state for `ping` without arguments', async () => {
    const { uat, start, tick } = await setUp();
    const bot = await start();
    uat.status = 502;
    await tick(bot);
    const [list] = await bot.say('alice', 'ping');
    expect(list?.card.table?.rows).toEqual([
      ['uat', '', 'UNHEALTHY', 'just now', 'unexpected status 502 (expected 200-399)'],
    ]);
  });
});

describe('monitor alert buttons', () => {
  it('"Ping again" on an alert shows the current state in its place', async () => {
    const { uat, start, tick } = await setUp();
    const bot = await start();
    uat.status = 500;
    await tick(bot);
    const [alert] = await bot.runJob(MONITOR_JOB_NAME);
    uat.status = 200;
    const [updated] = await bot.click(alert!, 'Ping again', 'dave');
    expect(updated?.ref).toEqual(alert?.ref);
    expect(updated?.card.title).toBe('uat: HEALTHY');
  });
});
