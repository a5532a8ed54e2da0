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

describe('EventReceiver', () => {
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
