/**
 * @chatops/core/internal: the robot's own parts, for the CLI, the adapters' tests and the
 * benchmarks. Not a stable API: names here change without notice. Plugins and adapters use
 * `@chatops/core`.
 */

export { ActionTokens } from './actions/action-token.js';
export * from './audit/index.js';
export { ConfigError } from './config/config-error.js';
export { configJsonSchema, type SchemaContributions } from './config/json-schema.js';
export { type LoadedConfig, loadConfig } from './config/load-config.js';
export { type ChatopsConfig, configSchema } from './config/schema.js';
export type { AnyPluginDefinition, PluginEntry, PluginStatus } from './plugins/plugin-loader.js';
export { HttpServer } from './runtime/http-server.js';
export { Leases } from './runtime/lease.js';
export { createLogger } from './runtime/logger.js';
export { Metrics } from './runtime/metrics.js';
export { Robot, type RobotOptions } from './runtime/robot.js';
export { Scheduler } from './runtime/scheduler.js';
export { Policy } from './security/policy.js';
export { RateLimiter } from './security/rate-limiter.js';
export { ShellAdapter, type ShellAdapterOptions } from './shell/shell-adapter.js';
export { type CreateStoreOptions, createStore } from './store/create-store.js';
export { MemoryStore } from './store/memory-store.js';
export { RedisEventStream, type RedisEventStreamOptions } from './store/redis-event-stream.js';
export { RedisStore, type RedisStoreOptions } from './store/redis-store.js';
export { SqliteStore, type SqliteStoreOptions } from './store/sqlite-store.js';
export type { CheckpointReport } from './store/sqlite-wal-upkeep.js';
export type { StoreOptions } from './store/store-value.js';
