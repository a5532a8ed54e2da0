import type { InitAnswers } from './init-answers.js';

/**
 * The Slack app manifest for the bot: exactly the scopes and events the Slack adapter uses, in
 * Socket Mode or with the request URLs of HTTP mode.
 */
export function slackManifest(answers: InitAnswers): string {
  const http = answers.slackMode === 'http';
  const base = answers.publicUrl.replace(/\/+$/, '');
  const url = (path: string) => (http ? [`      url: ${base}${path}`] : []);
  return [
    '# Slack app manifest: https://api.slack.com/apps → Create New App → From an app manifest, paste this.',
    '# Then install the app, copy its tokens into the environment (.env.example) and invite the bot.',
    'display_information:',
    `  name: ${answers.name}`,
    '  description: Runs checks, scripts and actions from chat, authorized and audited.',
    'features:',
    '  app_home:',
    '    messages_tab_enabled: true',
    '    messages_tab_read_only_enabled: false',
    '  bot_user:',
    `    display_name: ${answers.name}`,
    '    always_online: true',
    '  slash_commands:',
    `    - command: /${answers.name}`,
    ...url('/slack/commands'),
    `      description: Run a ${answers.name} command (try "help")`,
    '      should_escape: false',
    'oauth_config:',
    '  scopes:',
    '    bot:',
    ...[
      'app_mentions:read',
      'channels:history',
      'channels:read',
      'chat:write',
      'commands',
      'files:write',
      'groups:history',
      'groups:read',
      'im:history',
      'im:write',
      'users:read',
      'users:read.email',
    ].map((scope) => `      - ${scope}`),
    'settings:',
    '  event_subscriptions:',
    ...(http ? [`    request_url: ${base}/slack/events`] : []),
    '    bot_events:',
    ...['app_mention', 'message.channels', 'message.groups', 'message.im'].map((event) => `      - ${event}`),
    '  interactivity:',
    '    is_enabled: true',
    ...(http ? [`    request_url: ${base}/slack/actions`] : []),
    '  org_deploy_enabled: false',
    `  socket_mode_enabled: ${!http}`,
    '  token_rotation_enabled: false',
    '',
  ].join('\n');
}
