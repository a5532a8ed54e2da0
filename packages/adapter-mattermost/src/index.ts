/**
 * @chatops/adapter-mattermost: the robot on Mattermost. REST v4 through the official `@mattermost/client`
 * (Client4), events over the WebSocket API, custom slash commands and interactive buttons over HTTP.
 */
import { defineAdapter } from '@chatops/core';
import { type MattermostConfig, mattermostConfigSchema } from './config.js';
import { MattermostAdapter } from './mattermost-adapter.js';

export { type Addressing, addressPost } from './addressing.js';
export { type MattermostConfig, type MattermostConfigInput, mattermostConfigSchema } from './config.js';
export { ACTION_PATH, COMMAND_PATH } from './http-routes.js';
export { MattermostAdapter } from './mattermost-adapter.js';
export type { Attachment, AttachmentAction, AttachmentField } from './mattermost-types.js';
export {
  asEphemeralText,
  type RenderedPost,
  type RenderOptions,
  renderPost,
} from './render/card-renderer.js';
export { codeBlock, escapeMarkdown, escapePlain, neutralizeMentions } from './render/escape.js';
export { runeLength, splitMessage, truncateMessage } from './render/split-message.js';
export { MattermostApiError } from './rest-client.js';
export { matchesAnyToken } from './token-check.js';

/** The adapter module the robot loads for `adapter: mattermost`; its config is the `mattermost:` block. */
export default defineAdapter<MattermostConfig>({
  name: 'mattermost',
  config: mattermostConfigSchema,
  create: (host, config) => new MattermostAdapter(host, config),
});
