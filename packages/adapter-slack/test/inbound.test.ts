import { describe, expect, it } from 'vitest';
import { blockActionsToIncoming, eventToIncoming, slashCommandToIncoming } from '../src/inbound.js';

const identity = { userId: 'UBOT', botId: 'BBOT', teamId: 'T1' };
const callback = (event: Record<string, unknown>) => ({ type: 'event_callback', event_id: 'Ev1', event });

describe('events to incoming messages', () => {
  it('takes an app_mention as addressed, with the mention stripped, in its thread', () => {
    const incoming = eventToIncoming(
      callback({
        type: 'app_mention',
        user: 'U1',
        channel: 'C1',
        text: '<@UBOT> ping &lt;uat&gt;',
        ts: '2.0',
        thread_ts: '1.0',
      }),
      identity,
    );
    expect(incoming).toMatchObject({
      type: 'message',
      platform: 'slack',
      user: { id: 'U1' },
      conversation: { id: 'C1', kind: 'thread', threadId: '1.0' },
      text: 'ping <uat>',
      addressed: true,
      messageId: '2.0',
      eventId: 'Ev1',
    });
  });

  it('takes a DM as addressed and a plain channel message as not addressed', () => {
    const dm = eventToIncoming(
      callback({ type: 'message', user: 'U1', channel: 'D1', channel_type: 'im', text: 'ping', ts: '1.0' }),
      identity,
    );
    expect(dm).toMatchObject({ addressed: true, conversation: { id: 'D1', kind: 'dm' } });
    const plain = eventToIncoming(
      callback({
        type: 'message',
        user: 'U1',
        channel: 'C1',
        channel_type: 'channel',
        text: 'opsbot ping',
        ts: '1.0',
      }),
      identity,
    );
    expect(plain).toMatchObject({ addressed: false, text: 'opsbot ping', conversation: { kind: 'channel' } });
  });

  it('drops channel messages that mention the bot (the app_mention twin is handled), own posts and edits', () => {
    const base = { type: 'message', channel: 'C1', channel_type: 'channel', ts: '1.0' };
    expect(
      eventToIncoming(callback({ ...base, user: 'U1', text: '<@UBOT> ping' }), identity),
    ).toBeUndefined();
    expect(eventToIncoming(callback({ ...base, user: 'UBOT', text: 'hi' }), identity)).toBeUndefined();
    expect(
      eventToIncoming(callback({ ...base, bot_id: 'BBOT', user: 'UBOT', text: 'hi' }), identity),
    ).toBeUndefined();
    expect(
      eventToIncoming(callback({ ...base, subtype: 'message_changed', message: {} }), identity),
    ).toBeUndefined();
    expect(
      eventToIncoming(callback({ ...base, subtype: 'channel_join', user: 'U1', text: 'joined' }), identity),
    ).toBeUndefined();
    expect(eventToIncoming(callback({ type: 'reaction_added', user: 'U1' }), identity)).toBeUndefined();
  });

  it('marks other bots so the robot can ignore them', () => {
    const incoming = eventToIncoming(
      callback({
        type: 'message',
        channel: 'C1',
        channel_type: 'channel',
        bot_id: 'B2',
        text: 'opsbot ping',
        ts: '1.0',
      }),
      identity,
    );
    expect(incoming?.user).toEqual({ id: 'B2', name: 'B2', isBot: true });
  });
});

describe('slash commands and clicks', () => {
  it('takes the slash command text as the command line', () => {
    const incoming = slashCommandToIncoming({
      command: '/opsbot',
      text: 'ping <#C9|ops>',
      user_id: 'U1',
      user_name: 'alice',
      channel_id: 'C1',
      channel_name: 'ops',
      trigger_id: 't1',
      response_url: 'https://hooks.slack.com/commands/1',
    });
    expect(incoming).toMatchObject({
      text: 'ping #ops',
      addressed: true,
      slash: true,
      user: { id: 'U1', name: 'alice' },
      conversation: { id: 'C1', name: '#ops', kind: 'channel' },
      eventId: 'command:t1',
    });
    expect(
      slashCommandToIncoming({ channel_id: 'D1', channel_name: 'directmessage', user_id: 'U1', text: '' })
        ?.conversation,
    ).toEqual({
      id: 'D1',
      kind: 'dm',
    });
  });

  it('turns a button click into an action with the clicked message and its response_url', () => {
    const [action] = blockActionsToIncoming({
      type: 'block_actions',
      user: { id: 'U2', username: 'bob' },
      container: { type: 'message', message_ts: '5.0', channel_id: 'C1', is_ephemeral: false },
      channel: { id: 'C1', name: 'ops' },
      message: { ts: '5.0', thread_ts: '4.0' },
      trigger_id: 'tr',
      response_url: 'https://hooks.slack.com/actions/1',
      actions: [{ type: 'button', action_id: 'chatops.0', value: 'signed-token', action_ts: '6.0' }],
    });
    expect(action).toMatchObject({
      type: 'action',
      token: 'signed-token',
      user: { id: 'U2', name: 'bob' },
      conversation: { id: 'C1', name: '#ops', kind: 'thread', threadId: '4.0' },
      message: {
        platform: 'slack',
        conversationId: 'C1',
        id: '5.0',
        threadId: '4.0',
        extra: { responseUrl: 'https://hooks.slack.com/actions/1', ephemeral: 'false' },
      },
      eventId: 'action:tr:6.0',
    });
    expect(blockActionsToIncoming({ type: 'view_submission' })).toEqual([]);
  });
});
