/**
 * Slack adapter for the ChatOps robot: Socket Mode (default) or HTTP (Events API, slash commands,
 * interactivity), Block Kit cards with action buttons, within Slack's limits.
 * @packageDocumentation
 */
import { defineAdapter } from '@chatops/core';
import { type SlackConfig, slackConfigSchema } from './config.js';
import { SlackAdapter } from './slack-adapter.js';

export { renderMessage, type SlackMessage, STATUS_EMOJI } from './block-kit.js';
export type { ButtonElement, ConfirmObject, SlackBlock, TextObject } from './block-kit-types.js';
export { type SlackConfig, type SlackConfigInput, slackConfigSchema } from './config.js';
export { HTTP_PATHS } from './http-routes.js';
export { LIMITS } from './message-limits.js';
export { escapeText } from './mrkdwn.js';
export {
  computeSlackSignature,
  SIGNATURE_WINDOW_SECONDS,
  type SignatureCheck,
  type SignatureRejection,
  verifySlackSignature,
} from './request-signature.js';
export { SlackAdapter } from './slack-adapter.js';

/** The `slack` adapter module (`adapter: slack` in the robot's config). */
export default defineAdapter<SlackConfig>({
  name: 'slack',
  config: slackConfigSchema,
  create: (host, config) => new SlackAdapter(host, config),
});
