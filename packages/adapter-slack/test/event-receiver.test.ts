import type { AdapterHost } from '@chatops/core';
import { createLogger, Metrics } from '@chatops/core/internal';
import { describe, expect, it } from 'vitest';
import type { ChannelDirectory } from '../src/channel-directory.js';
import { EventReceiver } from '../src/event-receiver.js';
import type { UserDirectory } from '../src/user-directory.js';

function interactive(index: number): Record<string, unknown> {
  return {
    type: 'block_actions',
    trigger_id: `trigger-${index}`,
    user: { id: 'U1', username: 'alice' },
    channel: { id: 'C1', name: 'ops' },
    container: { message_ts: '1.0', channel_id: 'C1' },
    actions: [{ action_id: 'a', value: `token-${index}`, type: 'button' }],
  };
}

/** A receiver over a fake host, and the incoming items the host received. */
function receiverWith(durableIntake: boolean): { receiver: EventReceiver; received: { type: string }[] } {
  const received: { type: string }[] = [];
  const host = {
    log: createLogger({ level: 'silent' }),
    metrics: new Metrics(),
    durableIntake,
    receive: async (incoming: { type: string }) => {
      received.push(incoming);
      return { status: 'ok', correlationId: 'x' };
    },
  } as unknown as AdapterHost;
  const users = { lookup: async () => undefined } as unknown as UserDirectory;
  const receiver = new EventReceiver(host, users, {} as ChannelDirectory, () => ({ userId: 'UBOT' }));
  return { receiver, received };
}

const eventsApi = {
  type: 'event_callback',
  event_id: 'Ev1',
  event: { type: 'message', user: 'U1', channel: 'D1', channel_type: 'im', text: 'ping', ts: '1.0' },
};
const slashCommand = { command: '/ops', text: 'ping', user_id: 'U1', channel_id: 'D1', trigger_id: 't1' };

describe('EventReceiver', () => {
  it.each([
    { durableIntake: true, kind: 'events_api', body: eventsApi, waits: true },
    { durableIntake: true, kind: 'slash_commands', body: slashCommand, waits: true },
    { durableIntake: true, kind: 'interactive', body: interactive(0), waits: false },
    { durableIntake: false, kind: 'events_api', body: eventsApi, waits: false },
    { durableIntake: false, kind: 'slash_commands', body: slashCommand, waits: false },
    { durableIntake: false, kind: 'interactive', body: interactive(0), waits: false },
  ] as const)(
    'durableIntake $durableIntake, $kind: returns a promise to wait for: $waits',
    async ({ durableIntake, kind, body, waits }) => {
      const { receiver, received } = receiverWith(durableIntake);
      const accepted = receiver.dispatch(kind, body);
      if (waits) {
        expect(accepted).toBeInstanceOf(Promise);
        await expect(accepted).resolves.toBeUndefined();
        // It settled once the robot had taken the payload in.
        expect(received).toHaveLength(1);
      } else {
        expect(accepted).toBeUndefined();
      }
      await receiver.drain();
      expect(received.map((incoming) => incoming.type)).toEqual([
        kind === 'interactive' ? 'action' : 'message',
      ]);
    },
  );

  it('starts a burst of payloads in groups, one group per event-loop turn, in order', async () => {
    const started: { token: string; ticks: number }[] = [];
    let ticks = 0;
    const timer = setInterval(() => {
      ticks += 1;
    }, 0);
    const host = {
      log: createLogger({ level: 'silent' }),
      metrics: new Metrics(),
      durableIntake: false,
      receive: async (incoming: { type: string; token?: string }) => {
        started.push({ token: incoming.token ?? '', ticks });
        const busy = performance.now();
        while (performance.now() - busy < 0.3); // a dispatch's worth of work
        return { status: 'ok', correlationId: 'x' };
      },
    } as unknown as AdapterHost;
    const receiver = new EventReceiver(host, {} as UserDirectory, {} as ChannelDirectory, () => ({
      userId: 'UBOT',
    }));
    for (let index = 0; index < 50; index++) receiver.dispatch('interactive', interactive(index));
    await receiver.drain();
    clearInterval(timer);
    expect(started.map((entry) => entry.token)).toEqual(
      Array.from({ length: 50 }, (_, index) => `token-${index}`),
    );
    const groups = new Set(started.map((entry) => entry.ticks));
    expect(groups.size).toBeGreaterThanOrEqual(3);
    expect(started.filter((entry) => entry.ticks === started[0]!.ticks).length).toBeLessThanOrEqual(10);
  });
});
