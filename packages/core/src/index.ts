/**
 * @chatops/core: the robot, its plugin and adapter contracts, config, store, scheduler, HTTP server,
 * security pipeline (auth, approvals, signed actions, audit) and the shell adapter.
 */

export {
  type ActionTokenPayload,
  ActionTokens,
  type TokenCheck,
  type TokenRejection,
} from './actions/action-token.js';
export * from './adapter.js';
export * from './audit/index.js';
export * from './card.js';
export { ConfigError } from './config/config-error.js';
export { type DurationOptions, durationSchema, MAX_TIMER_MS } from './config/duration-schema.js';
export { configJsonSchema, type SchemaContributions } from './config/json-schema.js';
export { type LoadedConfig, loadConfig } from './config/load-config.js';
export {
  type AuthConfig,
  type AuthRule,
  type ChatopsConfig,
  type ChatopsConfigInput,
  configSchema,
} from './config/schema.js';
export type * from './context.js';
export { formatDuration, parseDuration, requireDuration } from './duration.js';
export { HttpServer } from './http-server.js';
export * from './incoming.js';
export { Leases } from './lease.js';
export { createLogger } from './logger.js';
export { Metrics } from './metrics.js';
export type * from './outcome.js';
export * from './plugin.js';
export type { AnyPluginDefinition, PluginEntry, PluginStatus } from './plugin-loader.js';
export type * from './principal.js';
export { formatTable, renderCardText, type TextRenderOptions } from './render/card-text.js';
export { Robot, type RobotOptions } from './robot.js';
export type { CommandArgs, OptionArgs, PositionalArgs } from './router/typed-args.js';
export { type JobFunction, type JobRun, Scheduler } from './scheduler.js';
export { type ApprovalRequirement, Policy, type PolicyDecision } from './security/policy.js';
export { globMatches, principalMatches } from './security/principal-pattern.js';
export { type RateDecision, type RateLimit, RateLimiter } from './security/rate-limiter.js';
export { TtlCache, type TtlCacheOptions } from './shared/ttl-cache.js';
export { type TimeoutResult, type WithTimeoutOptions, withTimeout } from './shared/with-timeout.js';
export { createShellAdapterModule, ShellAdapter, type ShellAdapterOptions } from './shell/shell-adapter.js';
export { type CreateStoreOptions, createStore } from './store/create-store.js';
export { MemoryStore } from './store/memory-store.js';
export type { PluginStore } from './store/plugin-store.js';
export { RedisEventStream, type RedisEventStreamOptions } from './store/redis-event-stream.js';
export { RedisStore, type RedisStoreOptions } from './store/redis-store.js';
export { SqliteStore, type SqliteStoreOptions } from './store/sqlite-store.js';
export type { StoreOptions } from './store/store-value.js';
export type { TokenDecision } from './store/token-bucket.js';
export { type Store, type StoreSetOptions, StoreUnavailableError } from './store.js';
export { currentTraceId, setSpanAttributes, tracingEnabled, withSpan } from './tracing/tracing.js';
