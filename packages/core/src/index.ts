/**
 * @chatops/core: what plugin and adapter authors build on. Plugins: {@link definePlugin}, the
 * `Bot`/`Context` API, cards, errors, typed arguments, the per-plugin store, redaction and tracing
 * helpers. Adapters: {@link defineAdapter}, `AdapterHost`, the incoming/outgoing message types, the
 * `Store` contract and the plain-text card renderer. Shared helpers: `durationSchema`, `TtlCache`,
 * `InFlight`, `withTimeout`, `backoffDelay`, `escapeRegExp`, `formatDuration`.
 *
 * The robot's own parts (the `Robot` class, policy, audit log, stores, config loading, HTTP server,
 * scheduler, shell adapter) are in `@chatops/core/internal`, for the CLI, tests and benchmarks; the
 * testing kit is `@chatops/core/testing`.
 */

export { REDACTED, redactArgs, redactText } from './audit/redact.js';
export type { Adapter, AdapterHost, AdapterModule, HttpRegistrar, OutgoingMessage } from './chat/adapter.js';
export { defineAdapter } from './chat/adapter.js';
export type {
  ActionConfirm,
  Card,
  CardAction,
  CardField,
  CardFile,
  CardStatus,
  CardTable,
  Effect,
  RenderedAction,
  RenderedCard,
  Reply,
} from './chat/card.js';
export { formatTable, renderCardText, type TextRenderOptions } from './chat/card-text.js';
export type * from './chat/incoming.js';
export type * from './chat/principal.js';
export { type AwsCredentials, awsConnectionShape } from './config/aws-connection.js';
export { type DurationOptions, durationSchema, MAX_TIMER_MS } from './config/duration-schema.js';
export type { ChatopsConfigInput } from './config/schema.js';
export type * from './pipeline/context.js';
export type * from './pipeline/outcome.js';
export * from './plugins/plugin.js';
export type { CommandArgs, OptionArgs, PositionalArgs } from './router/typed-args.js';
export type { Metrics } from './runtime/metrics.js';
export type { JobFunction, JobRun } from './runtime/scheduler.js';
export { currentTraceId, setSpanAttributes, tracingEnabled, withSpan } from './runtime/tracing.js';
export { backoffDelay, sleepUnlessAborted } from './shared/backoff.js';
export { formatDuration, parseDuration } from './shared/duration.js';
export { escapeRegExp } from './shared/escape-regexp.js';
export { InFlight } from './shared/in-flight.js';
export { replyThread } from './shared/reply-thread.js';
export { TtlCache, type TtlCacheOptions } from './shared/ttl-cache.js';
export { type TimeoutResult, type WithTimeoutOptions, withTimeout } from './shared/with-timeout.js';
export type { PluginStore } from './store/plugin-store.js';
export { type Store, type StoreSetOptions, StoreUnavailableError } from './store/store.js';
export type { RateLimit, TokenDecision } from './store/token-bucket.js';
