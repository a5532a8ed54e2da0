/** Testing kit: run plugins on an in-memory robot and talk to them. */

export { BotProcess } from './bot-process.js';
export { MemoryAdapter, type TestMessage } from './memory-adapter.js';
export { RedisServer } from './redis-server.js';
export { createTestBot, type SayOptions, type TestBot, type TestBotOptions } from './test-bot.js';
