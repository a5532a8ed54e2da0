/**
 * A Mattermost server emulator for tests (`@chatops/adapter-mattermost/emulator`): REST v4, the
 * WebSocket API, custom slash commands and interactive buttons, on 127.0.0.1.
 */
export { AppError } from './app-error.js';
export type { ActionResponse, CommandRecord, CommandResponse, IntegrationCall } from './integrations.js';
export {
  type EmulatedUser,
  type EphemeralRecord,
  MattermostEmulator,
  type MattermostEmulatorOptions,
  type RecordedRequest,
} from './mattermost-emulator.js';
export type { ChannelRecord, FileRecord, PostRecord, TeamRecord, UserRecord } from './model.js';
export type { FailureRule, RateLimitRule } from './rate-limiter.js';
export { MAX_MESSAGE_RUNES, type PostInput, type PostPatchInput } from './server-state.js';
export type { SocketRecord } from './websocket-api-server.js';
