/**
 * @chatops/hubot-compat: runs Hubot scripts unchanged on the ChatOps robot. The robot loads it by name
 * when the config has a `hubot:` block; every legacy listener is authorized, rate limited and audited.
 */

import { hubotCompat } from './plugin.js';

export { Brain, type BrainData } from './brain.js';
export { type HubotConfig, hubotConfigSchema, type ScriptEntry } from './config.js';
export { parseCommandsBlock } from './help-parser.js';
export type { HubotListener, ListenerKind, ListenerOptions, ScriptInfo } from './listener-registry.js';
export {
  CatchAllMessage,
  EnterMessage,
  LeaveMessage,
  Message,
  TextMessage,
  TopicMessage,
  User,
} from './message.js';
export type { Envelope, ResponseContext, SendMethod } from './response.js';
export { Response } from './response.js';
export { HubotRobot, type ListenerContext, type ReceiveContext, type ScriptStatus } from './robot.js';
export { type ScopedCallback, ScopedHttpClient, type ScopedResponse } from './scoped-http-client.js';
export { hubotCompat };

export default hubotCompat;
