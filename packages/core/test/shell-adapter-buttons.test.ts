import { PassThrough } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { AdapterHost } from '../src/chat/adapter.js';
import type { Incoming } from '../src/chat/incoming.js';
import { Metrics } from '../src/runtime/metrics.js';
import { ShellAdapter } from '../src/shell/shell-adapter.js';
import { MemoryStore } from '../src/store/memory-store.js';

function shell() {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.setEncoding('utf8');
  output.on('data', (chunk: string) => {
    printed += chunk;
  });
  const received: Incoming[] = [];
  const host: AdapterHost = {
    robotName: 'opsbot',
    log: pino({ level: 'silent' }),
    store: new MemoryStore(),
    metrics: new Metrics(),
    durableIntake: false,
    receive: async (incoming) => {
      received.push(incoming);
      return { status: 'ok', correlationId: 'test' };
    },
  };
  let ended!: () => void;
  const done = new Promise<void>((resolve) => {
    ended = resolve;
  });
  const adapter = new ShellAdapter(host, { input, output, user: 'alice', onEnd: () => ended() }, 'shell');
  return { adapter, input, received, printed: () => printed, done };
}

const card = (n: number) => ({
  text: `card ${n}`,
  actions: [
    {
      label: 'Wave',
      action: 'hello.wave',
      style: 'default' as const,
      effect: 'read' as const,
      token: `t${n}`,
    },
  ],
});

describe('ShellAdapter buttons', () => {
  it('keeps the latest 1,000 buttons clickable and forgets older ones', async () => {
    const { adapter, input, received, printed, done } = shell();
    await adapter.start();
    const conversation = { id: 'shell', name: 'shell', kind: 'dm' as const };
    for (let n = 1; n <= 1001; n++) await adapter.send({ conversation, card: card(n) });

    input.end('!1\n!2\n!1001\n');
    await done;
    await adapter.stop();

    expect(printed()).toContain('There is no button !1.');
    expect(printed()).not.toContain('There is no button !2.');
    expect(received.map((incoming) => incoming.type === 'action' && incoming.token)).toEqual(['t2', 't1001']);
  });
});
