import { type AdapterHost, type DispatchResult, type IncomingMessage, withTimeout } from '@chatops/core';
import type { Interactions } from './interactions.js';
import { inlineCode } from './render/escape.js';
import { truncateMessage } from './render/split-message.js';
import { commandTokenOf, matchesAnyToken } from './token-check.js';

/** An HTTP answer: status and JSON body. */
export interface HttpAnswer {
  status: number;
  body: unknown;
}

/** What the slash-command route needs. */
export interface SlashCommandOptions {
  host: AdapterHost;
  interactions: Interactions;
  commandTokens: readonly string[];
  ackTimeoutMs: number;
  limit: number;
  /** Names whose command text is the command line itself (`/opsbot ping` → `ping`). */
  botNames: () => string[];
}

const FAILED_STATUSES: readonly DispatchResult['status'][] = ['denied', 'error', 'usage', 'unknown'];

/**
 * `POST /mattermost/command`: verifies the command token, hands the command to the robot, and answers
 * within Mattermost's time limit: with the private replies when the work is done by then, with a short
 * acknowledgement otherwise (the results then arrive as posts).
 */
export async function handleSlashCommand(
  form: Record<string, unknown>,
  authorization: string | undefined,
  options: SlashCommandOptions,
): Promise<HttpAnswer> {
  const { host } = options;
  if (!matchesAnyToken(commandTokenOf(form, authorization), options.commandTokens)) {
    host.log.warn(
      { command: form.command, user: form.user_name },
      'mattermost slash command with a wrong token',
    );
    return {
      status: 401,
      body: { response_type: 'ephemeral', text: 'This command is not allowed to call the bot.' },
    };
  }
  const field = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : '');
  if (!field('user_id') || !field('channel_id') || !field('command')) {
    return {
      status: 400,
      body: { response_type: 'ephemeral', text: 'Missing user_id, channel_id or command.' },
    };
  }
  const trigger = field('command').replace(/^\//, '').toLowerCase();
  const args = field('text').trim();
  const named = options.botNames().some((name) => name.toLowerCase() === trigger);
  const isDirect = field('channel_name').includes('__');
  const incoming: IncomingMessage = {
    type: 'message',
    platform: 'mattermost',
    user: { id: field('user_id'), name: field('user_name') || field('user_id') },
    conversation: {
      id: field('channel_id'),
      name: isDirect ? `@${field('user_name')}` : field('channel_name'),
      // The payload is the server's (its token was checked), so its team name can be trusted.
      ...(!isDirect && field('team_domain') ? { team: field('team_domain') } : {}),
      kind: isDirect ? 'dm' : 'channel',
    },
    text: named ? args : `${trigger} ${args}`.trim(),
    addressed: true,
    slash: true,
    raw: form,
  };
  const interaction = options.interactions.begin(incoming);
  const settled = await withTimeout(host.receive(incoming), options.ackTimeoutMs);
  options.interactions.end(interaction);
  if (!settled.done) {
    return {
      status: 200,
      body: {
        response_type: 'ephemeral',
        text: `Working on ${inlineCode(`${field('command')} ${args}`.trim())}…`,
      },
    };
  }
  const result = settled.value;
  const replies = interaction.privateReplies;
  const text = replies
    .map((reply) => reply.message)
    .filter(Boolean)
    .join('\n\n');
  const attachments = replies.flatMap((reply) => (reply.attachment ? [reply.attachment] : []));
  if (!text && attachments.length === 0) {
    const fallback = FAILED_STATUSES.includes(result.status) && result.message ? result.message : '';
    return { status: 200, body: fallback ? { response_type: 'ephemeral', text: fallback } : {} };
  }
  return {
    status: 200,
    body: {
      response_type: 'ephemeral',
      text: truncateMessage(text, options.limit),
      ...(attachments.length ? { attachments } : {}),
    },
  };
}
