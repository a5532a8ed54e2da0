import { describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../src/chat/adapter.js';
import type { Conversation, IncomingMessage } from '../src/chat/incoming.js';
import { replyThread } from '../src/shared/reply-thread.js';

const CHANNEL: Conversation = { id: 'C1', kind: 'channel' };

function command(overrides: Partial<IncomingMessage> = {}): IncomingMessage {
  return {
    type: 'message',
    platform: 'slack',
    user: { id: 'U1', name: 'alice' },
    conversation: CHANNEL,
    text: 'deploy',
    addressed: true,
    messageId: '100.1',
    ...overrides,
  };
}

function reply(replyTo: OutgoingMessage['replyTo'], conversation: Conversation = CHANNEL): OutgoingMessage {
  return { conversation, card: { text: 'done', actions: [] }, ...(replyTo ? { replyTo } : {}) };
}

describe('replyThread', () => {
  it('keeps the thread of the conversation, threading or not', () => {
    const inThread = { ...CHANNEL, kind: 'thread' as const, threadId: '90.1' };
    expect(replyThread(reply(command({ conversation: inThread }), inThread), false)).toBe('90.1');
    expect(replyThread(reply(undefined, inThread), true)).toBe('90.1');
  });

  it('starts a thread under a channel command when threading is on', () => {
    expect(replyThread(reply(command()), true)).toBe('100.1');
    expect(replyThread(reply(command()), false)).toBeUndefined();
  });

  it('posts at the top for a slash command, a DM, another conversation or no message answered', () => {
    expect(replyThread(reply(command({ slash: true })), true)).toBeUndefined();
    const dm: Conversation = { id: 'D1', kind: 'dm' };
    expect(replyThread(reply(command({ conversation: dm }), dm), true)).toBeUndefined();
    expect(replyThread(reply(command(), { id: 'C2', kind: 'channel' }), true)).toBeUndefined();
    expect(replyThread(reply(undefined), true)).toBeUndefined();
  });
});
