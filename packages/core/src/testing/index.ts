/** Testing kit: run plugins on an in-memory robot and talk to them. */

export type { AnyPluginDefinition, PluginEntry } from '../plugins/plugin-loader.js';
export { MemoryStore } from '../store/memory-store.js';
export { AuditReceiver } from './audit-receiver.js';
export { BotProcess } from './bot-process.js';
export { MemoryAdapter, snapshot, type TestMessage } from './memory-adapter.js';
export { RedisServer } from './redis-server.js';
export { replyHabitsPlugin } from './reply-habits-plugin.js';
export {
  type AdapterTestBot,
  type AdapterTestBotOptions,
  createTestBot,
  type RunningTestBot,
  type SayOptions,
  type TestBot,
  type TestBotOptions,
} from './test-bot.js';
