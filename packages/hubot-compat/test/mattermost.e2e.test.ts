import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type ChannelRecord,
  type EmulatedUser,
  MattermostEmulator,
} from '@chatops/adapter-mattermost/emulator';
import { BotProcess } from '@chatops/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from './support/compat-bot.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('Hubot scripts on the Mattermost adapter (chatops start against the emulator)', () => {
  let mm: MattermostEmulator;
  let bot: BotProcess;
  let botUser: EmulatedUser;
  let alice: EmulatedUser;
  let bob: EmulatedUser;
  let ops: ChannelRecord;
  let dir: string;

  beforeAll(async () => {
    if (!existsSync(join(packageDir, 'dist/index.js'))) throw new Error('run `pnpm build` first');
    mm = await MattermostEmulator.start();
    const team = mm.addTeam('acme');
    botUser = mm.addBot('opsbot');
    alice = mm.addUser({ username: 'alice', email: 'alice@example.com' });
    bob = mm.addUser({ username: 'bob', email: 'bob@example.com' });
    ops = mm.addChannel(team, 'ops', [botUser, alice, bob]);
    dir = await mkdtemp(join(tmpdir(), 'hubot-mm-'));
    const config = {
      name: 'opsbot',
      adapter: 'mattermost',
      store: { type: 'memory' },
      audit: { path: join(dir, 'audit.jsonl') },
      http: { host: '127.0.0.1', port: 0 },
      log: { level: 'info' },
      auth: {
        rateLimit: false,
        roles: { sre: ['email:alice@example.com'] },
        rules: [{ allow: 'hubot.deploy.*', roles: ['sre'] }],
      },
      mattermost: { url: mm.url, token: botUser.token, reconnect: { minDelay: '20ms', maxDelay: '100ms' } },
      hubot: {
        scripts: [
          { module: 'hubot-diagnostics', effect: 'read' },
          { module: 'hubot-shipit', effect: 'read' },
          { path: join(FIXTURES, 'scripts/deploy.js') },
        ],
      },
    };
    const configPath = join(dir, 'chatops.config.json');
    await writeFile(configPath, JSON.stringify(config, null, 2));
    // From this package's folder the script packages and @chatops/hubot-compat (itself) resolve.
    bot = new BotProcess(configPath, { cwd: packageDir });
    await bot.waitForLog((line) => line['msg'] === 'robot started');
  });

  afterAll(async () => {
    const code = await bot?.stop();
    await mm?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    expect(code).toBe(0);
  });

  const botSaid = (text: RegExp) =>
    mm.waitFor(
      () =>
        mm.postsIn(ops).find((post) => post['user_id'] === botUser.id && text.test(String(post['message']))),
      10_000,
    );

  it('answers a mention with a community script (respond)', async () => {
    mm.post(alice, ops, '@opsbot ping');
    await botSaid(/^PONG$/);
  });

  it('hears "ship it" in the channel with the CoffeeScript script', async () => {
    mm.post(bob, ops, 'lgtm, ship it');
    await botSaid(/^https?:\/\//);
  });

  it('denies a write listener to bob and runs it for alice (granted by email), audited', async () => {
    mm.post(bob, ops, '@opsbot deploy api');
    // The bot is no system admin, so its private answer is a DM.
    const dm = mm.directChannel(bob, botUser);
    await mm.waitFor(
      () => mm.postsIn(dm).find((post) => JSON.stringify(post).includes(`You can't run \\"deploy api\\"`)),
      10_000,
    );
    mm.post(alice, ops, '@opsbot deploy web');
    await botSaid(/deploying web/);
    const lines = (await readFile(join(dir, 'audit.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line['permission'] === 'hubot.deploy.deploy');
    expect(lines).toContainEqual(
      expect.objectContaining({ principal: `mattermost:${bob.id}`, decision: 'denied' }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({ email: 'alice@example.com', decision: 'allowed' }),
    );
    expect(mm.postsIn(ops).some((post) => String(post['message']).includes('deploying api'))).toBe(false);
  });
});
