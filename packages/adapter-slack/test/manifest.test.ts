import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AdapterTestBot } from '@chatops/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { SlackEmulator } from '../src/emulator/index.js';
import { packageDir } from './support/bot-process.js';
import { startRobot } from './support/robot.js';
import { settle } from './support/settle.js';

const examples = join(packageDir, '../../examples/slack');

/** The `- item` lines under `key:` in a small YAML file (our manifests only). */
function listUnder(yaml: string, key: string): string[] {
  const lines = yaml.split('\n');
  const start = lines.findIndex((line) => line.trim() === `${key}:`);
  const items: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const item = /^\s+- ([\w:.]+)/.exec(line);
    if (!item) break;
    items.push(item[1]!);
  }
  return items;
}

describe('examples/slack manifests', () => {
  let slack: SlackEmulator | undefined;
  let bot: AdapterTestBot | undefined;

  afterEach(async () => {
    await bot?.close();
    await slack?.close();
    bot = undefined;
    slack = undefined;
  });

  it('declare the events, slash command, interactivity and Socket Mode the adapter needs', async () => {
    const socket = await readFile(join(examples, 'manifest.yaml'), 'utf8');
    const http = await readFile(join(examples, 'manifest.http.yaml'), 'utf8');
    for (const manifest of [socket, http]) {
      expect(listUnder(manifest, 'bot_events').sort()).toEqual([
        'app_mention',
        'message.channels',
        'message.groups',
        'message.im',
      ]);
      expect(manifest).toMatch(/- command: \/opsbot/);
      expect(manifest).toMatch(/interactivity:\n\s+is_enabled: true/);
    }
    expect(socket).toMatch(/socket_mode_enabled: true/);
    expect(http).toMatch(/socket_mode_enabled: false/);
    expect(http).toContain('https://bot.example.com/slack/events');
    expect(listUnder(http, 'bot')).toEqual(listUnder(socket, 'bot'));
  });

  it('grant every scope the adapter uses (emulator with only those scopes, no missing_scope)', async () => {
    const scopes = listUnder(await readFile(join(examples, 'manifest.yaml'), 'utf8'), 'bot');
    slack = await SlackEmulator.start({ scopes });
    const secret = slack.addChannel({ name: 'secret-room', private: true });
    const outside = slack.addChannel({ name: 'outside', botIsMember: false });
    bot = await startRobot(slack, {
      auth: {
        roles: { admin: ['email:alice@example.com'] },
        rules: [{ allow: 'ops.restart', roles: ['admin'] }],
      },
    });
    slack.mention({ user: 'alice', channel: 'ops', text: 'ping uat' });
    slack.mention({ user: 'alice', channel: secret.id, text: 'whoami' });
    slack.directMessage({ user: 'alice', text: 'long 300' });
    slack.slashCommand({ user: 'bob', channel: outside.id, text: 'secret' });
    await slack.waitForCall('files.completeUploadExternal');
    const card = await slack
      .waitUntil(() => slack!.botMessages('ops').length > 0, 'the ping card')
      .then(() => slack!.botMessages('ops')[0]!);
    slack.click({ user: 'alice', message: card, button: 'Restart' });
    await slack.waitForCall('chat.update');
    expect(await bot.adapter.resolveConversation!('#secret-room')).toMatchObject({ id: secret.id });
    // Notifications to a person: by email (users.lookupByEmail) or by user id, as a DM.
    const dm = slack.dmChannel('alice').id;
    expect(await bot.adapter.resolveConversation!('@alice@example.com')).toEqual({
      id: dm,
      name: '@alice@example.com',
      kind: 'dm',
    });
    expect(await bot.adapter.resolveConversation!(`@${slack.user('alice').id}`)).toMatchObject({
      id: dm,
      kind: 'dm',
    });
    expect(await bot.adapter.resolveConversation!('@nobody@example.com')).toBeUndefined();
    // A private answer where the bot is not a member goes by DM.
    const alice = slack.user('alice');
    await bot.adapter.send({
      conversation: { id: outside.id, kind: 'channel' },
      card: { text: 'just for alice', actions: [] },
      privateTo: { id: alice.id, name: alice.name },
    });
    expect(slack.callsTo('chat.postEphemeral').at(-1)?.response.error).toBe('not_in_channel');
    expect(slack.callsTo('chat.postMessage').at(-1)?.args.channel).toBe(slack.dmChannel('alice').id);
    await settle(slack, bot);
    const refused = slack.calls.filter((call) => call.response.error === 'missing_scope');
    expect(refused).toEqual([]);
    const used = new Set(slack.calls.map((call) => call.method));
    for (const method of [
      'users.info',
      'conversations.info',
      'conversations.list',
      'conversations.open',
      'chat.postMessage',
      'chat.update',
      'response_url',
    ]) {
      expect(used).toContain(method);
    }
  });
});
