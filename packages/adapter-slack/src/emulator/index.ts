/**
 * A local Slack for tests and benchmarks: the Web API, Socket Mode, response URLs, file uploads and
 * signed HTTP-mode requests, speaking Slack's wire protocol on 127.0.0.1.
 * @packageDocumentation
 */
export type { RecordedCall } from './call-log.js';
export {
  type HttpModePaths,
  type HttpSendOptions,
  type HttpSendResult,
  SlackHttpModeClient,
  signSlackRequest,
} from './http-mode-client.js';
export type { ResponseUrl } from './response-urls.js';
export { ALL_BOT_SCOPES, METHOD_SCOPES } from './scopes.js';
export { type Injection, SlackEmulator, type SlackEmulatorOptions } from './slack-emulator.js';
export type {
  Delivery,
  DeliveryOutcome,
  DisconnectReason,
  EnvelopeType,
  SocketModeServer,
  SocketModeTiming,
} from './socket-mode-server.js';
export type {
  EmulatedApp,
  EmulatedChannel,
  EmulatedFile,
  EmulatedMessage,
  EmulatedUser,
} from './workspace.js';
