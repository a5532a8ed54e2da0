import { commandWords } from '../dispatch/workload.mjs';

/**
 * The `send` of a dispatch measurement for our robot: user `n` says `opsbot svc<i> status <env>` in
 * `room-n` (so the robot's addressing strips the name, as Hubot's `respond` does). A result other than
 * `ok` is recorded in `failures`.
 */
export function robotSender({ adapter, waiters, failures }) {
  return (item, user) => {
    const room = `room-${user}`;
    const replied = waiters.expect(room);
    const done = adapter.host
      .receive({
        type: 'message',
        platform: 'shell',
        user: { id: `user${user}`, name: `user${user}` },
        conversation: { id: room, name: room, kind: 'channel' },
        text: `opsbot ${commandWords(item.index)} ${item.env}`,
        addressed: false,
      })
      .then((result) => {
        if (result.status !== 'ok') failures.push(`${result.status}: ${result.message}`);
      });
    return { replied, done };
  };
}
