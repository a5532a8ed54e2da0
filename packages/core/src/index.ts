/**
 * @chatops/core: the robot, its plugin and adapter contracts, config, store, scheduler, HTTP server,
 * security pipeline (auth, approvals, signed actions, audit) and the shell adapter.
 */
export * from './card.js';
export * from './incoming.js';
export type * from './context.js';
export type * from './principal.js';
export type * from './outcome.js';
export type * from './store.js';
export * from './adapter.js';
export * from './plugin.js';
export { Metrics } from './metrics.js';
export { parseDuration, requireDuration, formatDuration } from './duration.js';
export { renderCardText, formatTable, type TextRenderOptions } from './render/card-text.js';
export { Robot, type RobotOptions } from './robot.js';
export type { PluginEntry, PluginStatus } from './plugin-loader.js';
export { configSchema, type ChatopsConfig, type ChatopsConfigInput, type AuthConfig, type AuthRule } from './config/schema.js';
export { ConfigError } from './config/config-error.js';
export { loadConfig, type LoadedConfig } from './config/load-config.js';
export { configJsonSchema } from './config/json-schema.js';
export { MemoryStore } from './store/memory-store.js';
export { FileStore } from './store/file-store.js';
export { createStore } from './store/create-store.js';
export { Scheduler } from './scheduler.js';
export { HttpServer } from './http-server.js';
export { createLogger } from './logger.js';
export { ActionTokens, type ActionTokenPayload, type TokenCheck, type TokenRejection } from './actions/action-token.js';
export { Policy, type PolicyDecision, type ApprovalRequirement } from './security/policy.js';
export { principalMatches, globMatches } from './security/principal-pattern.js';
export { RateLimiter, type RateLimit } from './security/rate-limiter.js';
export * from './audit/index.js';
export { createShellAdapterModule, ShellAdapter, type ShellAdapterOptions } from './shell/shell-adapter.js';
