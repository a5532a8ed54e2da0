import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Robot, TextMessage, User } from 'hubot';
import {
  checkAnswered,
  commandWords,
  measureDispatch,
  ReplyWaiters,
  workload,
} from '../dispatch/workload.mjs';
import { HubotMemoryAdapter } from '../lib/hubot-memory-adapter.mjs';
import { workerMain } from '../lib/worker.mjs';
import { SCRIPTS, writeScripts } from './scripts.mjs';

/** `hubot-worker.mjs <literal|group>`: Hubot 14 loads the 1,000 script files with `robot.load`. */
await workerMain(async ([style]) => {
  const dir = await mkdtemp(join(tmpdir(), 'hubot-scripts-'));
  const waiters = new ReplyWaiters();
  process.env.HUBOT_LOG_LEVEL = 'silent';
  const robot = new Robot({ use: (bot) => new HubotMemoryAdapter(bot, waiters) }, false, 'Hubot');
  try {
    await writeScripts(dir, SCRIPTS, style);
    await robot.loadAdapter();
    await robot.load(dir);
    if (robot.listeners.length !== SCRIPTS)
      throw new Error(`Hubot loaded ${robot.listeners.length} listeners`);
    await robot.run();
    const users = new Map();
    const userFor = (id) => {
      if (!users.has(id)) users.set(id, new User(`user${id}`, { name: `user${id}`, room: `room-${id}` }));
      return users.get(id);
    };
    let messageId = 0;
    const send = (item, user) => {
      const replied = waiters.expect(`room-${user}`);
      const text = `Hubot ${commandWords(item.index)} ${item.env}`;
      const done = robot.receive(new TextMessage(userFor(user), text, String(++messageId)));
      return { replied, done };
    };
    const { runs, sent } = await measureDispatch(send, workload(SCRIPTS));
    checkAnswered({ sent, replies: waiters.replies });
    return { runs, sent };
  } finally {
    robot.shutdown();
    await rm(dir, { recursive: true, force: true });
  }
});
