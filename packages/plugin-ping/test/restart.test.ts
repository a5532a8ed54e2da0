import { definePlugin, UsageError } from '@chatops/core';
import { createTestBot, type TestBot } from '@chatops/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { PingConfigInput } from '../src/index.js';
import { pingWith } from './support/ping-entry.js';
import { startHttpServer } from './support/servers.js';
import { type SwitchableService, startSwitchableService } from './support/switchable-service.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((close) => close()));
});

/** Stands in for plugin-shell's `run <script>`: `run restart-uat` brings the service back up. */
function restartScript(uat: SwitchableService, runs: string[]) {
  return definePlugin({
    name: 'shell',
    setup(bot) {
      bot.command({
        name: 'run',
        args: '<script>',
        effect: 'write',
        permission: (args) => `shell.run.${String(args['script'])}`,
        summary: 'Run a declared script',
        run: (ctx) => {
          if (ctx.args['script'] !== 'restart-uat') throw new UsageError('no such script');
          runs.push(ctx.user.key);
          uat.status = 200;
          return 'restart-uat: done';
        },
      });
    },
  });
}

const auth = {
  roles: { oncall: ['shell:alice'], helpdesk: ['shell:carol'] },
  rules: [
    { allow: ['ping.restart', 'shell.run.restart-uat'], roles: ['oncall'] },
    { allow: 'ping.restart', roles: ['helpdesk'] },
  ],
};

type TargetExtra = Omit<PingConfigInput['targets'][string], 'url'>;

async function setUp(targetExtra: TargetExtra = { restart: { command: 'run restart-uat' } }) {
  const uat = await startSwitchableService(503);
  cleanups.push(uat.close);
  const runs: string[] = [];
  const bot: TestBot = await createTestBot({
    plugins: [pingWith({ targets: { uat: { url: uat.url, ...targetExtra } } }), restartScript(uat, runs)],
    config: { auth },
  });
  cleanups.push(bot.close);
  const [down] = await bot.say('alice', 'ping uat', { channel: 'ops' });
  expect(down?.card.title).toBe('uat: UNHEALTHY');
  return { uat, runs, bot, down: down! };
}

describe('Restart button', () => {
  it('runs the restart command through the router as the clicker, then pings again', async () => {
    const { runs, bot, down } = await setUp();
    const auditBefore = bot.audit.length;
    await bot.click(down, 'Restart uat', 'alice');

    expect(bot.lastResult?.status).toBe('ok');
    expect(runs).toEqual(['shell:alice']);
    const message = bot.messages.find((candidate) => candidate.ref.id === down.ref.id);
    expect(message?.card.title).toBe('uat: HEALTHY');
    expect(message?.card.footer).toMatch(/^restarted by alice · checked /);
    expect(message?.card.actions).toEqual([]);

    const audit = bot.audit.slice(auditBefore);
    const allowed = audit.filter((record) => record.event === 'decision' && record.decision === 'allowed');
    expect(
      allowed.map(({ kind, permission, principal, args }) => ({ kind, permission, principal, args })),
    ).toEqual([
      { kind: 'action', permission: 'ping.restart', principal: 'shell:alice', args: { target: 'uat' } },
      {
        kind: 'command',
        permission: 'shell.run.restart-uat',
        principal: 'shell:alice',
        args: { script: 'restart-uat' },
      },
    ]);
    const outcomes = audit.filter((record) => record.event === 'outcome');
    expect(outcomes.map(({ target, outcome }) => ({ target, outcome }))).toEqual(
      expect.arrayContaining([
        { target: 'ping.restart', outcome: 'ok' },
        { target: 'run', outcome: 'ok' },
      ]),
    );
  });

  it('is denied to someone without ping.restart and restarts nothing', async () => {
    const { uat, runs, bot, down } = await setUp();
    await bot.click(down, 'Restart uat', 'bob');

    expect(bot.lastResult?.status).toBe('denied');
    expect(runs).toEqual([]);
    expect(uat.status).toBe(503);
    expect(bot.messages.find((candidate) => candidate.ref.id === down.ref.id)?.card.title).toBe(
      'uat: UNHEALTHY',
    );
    expect(bot.audit).toContainEqual(
      expect.objectContaining({ target: 'ping.restart', principal: 'shell:bob', decision: 'denied' }),
    );
  });

  it('says so when the clicker may press Restart but not run the restart command', async () => {
    const { runs, bot, down } = await setUp();
    await bot.click(down, 'Restart uat', 'carol');

    expect(runs).toEqual([]);
    const message = bot.messages.find((candidate) => candidate.ref.id === down.ref.id);
    expect(message?.card.title).toBe('uat: restart failed');
    expect(message?.card.text).toMatch(
      /^The restart of uat requested by carol failed: `run restart-uat` was not allowed/,
    );
    expect(message?.card.actions.map((action) => action.label)).toEqual(['Restart uat', 'Ping again']);
    expect(bot.audit).toContainEqual(
      expect.objectContaining({ target: 'run', principal: 'shell:carol', decision: 'denied' }),
    );
  });

  it('calls an HTTP restart endpoint and reports the new state', async () => {
    let uat: SwitchableService | undefined;
    const calls: { method?: string; auth?: string | undefined }[] = [];
    const deployer = await startHttpServer((request, response) => {
      calls.push({ method: request.method, auth: request.headers.authorization });
      if (uat) uat.status = 200;
      response.statusCode = 202;
      response.end();
    });
    cleanups.push(deployer.close);
    const restart = {
      http: { url: `${deployer.url}/restart/uat`, headers: { authorization: 'Bearer deploy-token' } },
    };
    const setup = await setUp({ restart });
    uat = setup.uat;
    await setup.bot.click(setup.down, 'Restart uat', 'alice');

    expect(calls).toEqual([{ method: 'POST', auth: 'Bearer deploy-token' }]);
    const message = setup.bot.messages.find((candidate) => candidate.ref.id === setup.down.ref.id);
    expect(message?.card.title).toBe('uat: HEALTHY');
  });

  it('reports a failed HTTP restart with its reason', async () => {
    const deployer = await startHttpServer((_request, response) => {
      response.statusCode = 500;
      response.end();
    });
    cleanups.push(deployer.close);
    const { bot, down } = await setUp({ restart: { http: { url: `${deployer.url}/restart` } } });
    await bot.click(down, 'Restart uat', 'alice');
    const message = bot.messages.find((candidate) => candidate.ref.id === down.ref.id);
    expect(message?.card.text).toBe(
      'The restart of uat requested by alice failed: the restart endpoint answered 500',
    );
  });

  it('keeps pinging within waitFor until the target comes up', async () => {
    const deployer = await startHttpServer((_request, response) => response.end());
    cleanups.push(deployer.close);
    const { uat, bot, down } = await setUp({ restart: { http: { url: deployer.url }, waitFor: '10s' } });
    // The first ping after the restart still fails; the service is up from the second one on.
    uat.status = 200;
    uat.upcoming.push(503);
    const before = uat.requests.length;

    await bot.click(down, 'Restart uat', 'alice');

    const message = bot.messages.find((candidate) => candidate.ref.id === down.ref.id);
    expect(message?.card.title).toBe('uat: HEALTHY');
    expect(uat.requests.length - before).toBe(2);
    expect(message?.updates).toBeGreaterThanOrEqual(2);
  });
});
