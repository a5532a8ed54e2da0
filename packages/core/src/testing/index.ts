/** Testing kit: run plugins on an in-memory robot and talk to them. */

export { BotProcess } from './bot-process.js';
export { MemoryAdapter, type TestMessage } from './memory-adapter.js';
export {
  type AdapterTestBot,
  type AdapterTestBotOptions,
  createTestBot,
  type RunningTestBot,
  type SayOptions,
  type TestBot,
  type TestBotOptions,
} from './test-bot.js';
