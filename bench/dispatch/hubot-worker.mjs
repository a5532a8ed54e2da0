import { Robot, TextMessage, User } from 'hubot';
import { HubotMemoryAdapter } from '../lib/hubot-memory-adapter.mjs';
import { workerMain } from '../lib/worker.mjs';
import {
  checkAnswered,
  commandWords,
  HEAR_LISTENERS,
  hearPattern,
  measureDispatch,
  ReplyWaiters,
  replyText,
  workload,
} from './workload.mjs';

/**
 * `hubot-worker.mjs <commands> <respond|commandbus>`: Hubot 14 with the same commands as `respond`
 * regex listeners or CommandBus commands, plus the same 100 `hear` listeners.
 */
await workerMain(async ([commandsArg, mode]) => {
  const commands = Number(commandsArg);
  const waiters = new ReplyWaiters();
  process.env.HUBOT_LOG_LEVEL = 'silent';
  const robot = new Robot({ use: (bot) => new HubotMemoryAdapter(bot, waiters) }, false, 'Hubot');
  await robot.loadAdapter();

  for (let i = 0; i < commands; i++) {
    if (mode === 'commandbus') {
      robot.commands.register({
        id: `svc${i}.status`,
        description: `Status of svc${i}`,
        args: { env: { type: 'string', required: true } },
        confirm: 'never',
        handler: async ({ args }) => replyText(i, args.env),
      });
    } else {
      robot.respond(new RegExp(`${commandWords(i)} (\\S+)$`, 'i'), async (res) => {
        await res.reply(replyText(i, res.match[1]));
      });
    }
  }
  for (let j = 0; j < HEAR_LISTENERS; j++) {
    robot.hear(hearPattern(j), async (res) => {
      await res.send(`incident ${j}: ${res.match[1]}`);
    });
  }
  await robot.run();

  const users = new Map();
  const userFor = (id) => {
    if (!users.has(id)) users.set(id, new User(`user${id}`, { name: `user${id}`, room: `room-${id}` }));
    return users.get(id);
  };
  const lineFor =
    mode === 'commandbus'
      ? (item) => `Hubot svc${item.index}.status --env ${item.env}`
      : (item) => `Hubot ${commandWords(item.index)} ${item.env}`;
  let messageId = 0;
  const send = (item, user) => {
    const replied = waiters.expect(`room-${user}`);
    const done = robot.receive(new TextMessage(userFor(user), lineFor(item), String(++messageId)));
    return { replied, done };
  };

  try {
    const { runs, sent } = await measureDispatch(send, workload(commands));
    checkAnswered({ sent, replies: waiters.replies });
    return { runs, sent };
  } finally {
    robot.shutdown();
  }
});
