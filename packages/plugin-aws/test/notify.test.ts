import type { Reply } from '@chatops/core';
import { MemoryStore } from '@chatops/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AwsSession } from '../src/aws-session.js';
import { type AwsEmulator, startAwsEmulator } from '../src/emulator/index.js';
import { type Messenger, type NotifySettings, notifyUser } from '../src/iam/notify.js';
import { emulatorSession } from './support/session.js';

let emulator: AwsEmulator;
let session: AwsSession;

beforeEach(async () => {
  emulator = await startAwsEmulator();
  emulator.account().addUser({ name: 'alice', password: true, tags: { Email: 'alice@example.com' } });
  session = emulatorSession(emulator);
});

afterEach(async () => {
  session.destroy();
  await emulator.close();
});

/** A messenger whose DMs fail, as on an adapter that cannot open a DM from a handle. */
function failingDms() {
  const posted: { route: string; reply: Reply }[] = [];
  const messenger: Messenger = {
    send: async (conversation) => {
      throw new Error(`cannot open a DM with ${conversation}`);
    },
    notify: async (route, reply) => {
      posted.push({ route, reply });
      return [{ platform: 'test', conversationId: route, id: '1' }];
    },
  };
  return { messenger, posted };
}

const settings = (extra: Partial<NotifySettings> = {}): NotifySettings => ({
  via: 'dm',
  users: {},
  tagKeys: ['email', 'Email'],
  cooldownMs: 60_000,
  ...extra,
});

describe('notifyUser', () => {
  it('falls back to the route when the DM cannot be sent', async () => {
    const { messenger, posted } = failingDms();
    const store = new MemoryStore();
    const finding = {
      user: 'alice',
      arn: 'arn:aws:iam::123456789012:user/alice',
      root: false,
      console: true,
    };
    const outcome = await notifyUser(
      { session, store, messenger, settings: settings({ route: 'security' }), now: Date.now() },
      finding,
      '@bob',
    );
    expect(outcome).toEqual({
      status: 'sent',
      to: 'route security for alice@example.com after the DM to @alice@example.com failed',
    });
    expect(posted[0]?.route).toBe('security');
    await store.close();
  });

  it('reports the failure and forgets the cooldown when there is no route', async () => {
    const { messenger } = failingDms();
    const store = new MemoryStore();
    const finding = { user: 'alice', arn: '', root: false };
    const outcome = await notifyUser(
      { session, store, messenger, settings: settings(), now: Date.now() },
      finding,
      '@bob',
    );
    expect(outcome).toEqual({ status: 'failed', reason: 'cannot open a DM with @alice@example.com' });
    expect(await store.keys('iam:notified:')).toEqual([]);
    await store.close();
  });
});
