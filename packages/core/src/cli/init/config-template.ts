import type { InitAnswers } from './init-answers.js';

/** A `${NAME}` or `${NAME:-fallback}` placeholder, filled from the environment at load. */
const v = (name: string, fallback?: string) => `$\{${name}${fallback === undefined ? '' : `:-${fallback}`}}`;

/** The config `chatops init` writes: commented, tokens from the environment, ready for `check-config`. */
export function configTemplate(answers: InitAnswers): string {
  const { platform, name } = answers;
  const lines = [
    '# yaml-language-server: $schema=./chatops.schema.json',
    `# ${name}: a ChatOps robot. Check it with \`chatops check-config\`, run it with \`chatops start\`.`,
    `# ${v('VAR')} and ${v('VAR', 'default')} are filled from the environment (see .env.example), so tokens`,
    '# stay out of this file.',
    '# Every key is described by `chatops schema` (your editor reads chatops.schema.json).',
    `name: ${name} # answers to @${name}, /${name}, DMs, and "!…" in channels it is in`,
    'prefix: "!"',
    `adapter: ${platform}`,
    '# Durable state (approvals, button nonces, monitor state) and the hash-chained audit log.',
    `store: { type: sqlite, path: "${v('CHATOPS_STATE_DIR', '.chatops')}/state.db" }`,
    `audit: { path: "${v('CHATOPS_STATE_DIR', '.chatops')}/audit.jsonl" }`,
    '# /healthz, /readyz and /metrics, plus the routes the chat platform calls.',
    `http: { host: "${v('CHATOPS_HTTP_HOST', platform === 'shell' ? '127.0.0.1' : '0.0.0.0')}", port: "${v('CHATOPS_HTTP_PORT', '8080')}" }`,
    '',
    ...platformBlock(answers),
    '',
    '# Named routes for notifications (monitors, plugin alerts), per platform.',
    'notifications:',
    `  ops: { ${platform}: ${platform === 'slack' ? '"#ops"' : 'ops'} }`,
    '',
    'auth:',
    '  # Principals: slack:U0123, mattermost:<user id>, shell:<login>, email:alice@example.com; `*` wildcards.',
    '  roles:',
    `    admin: ["${v('CHATOPS_ADMIN', 'shell:admin')}"]`,
    `    sre: ["${platform === 'shell' ? 'shell:*' : v('CHATOPS_SRE', 'shell:*')}"]`,
    '  # read commands are open to everyone, write commands are denied until a rule grants them.',
    '  rules:',
    '    - { allow: "core.audit.read", roles: [admin, sre] }',
    '    - { allow: "ping.restart", roles: [sre] }',
    '',
    'plugins:',
    '  # Named health checks: `ping self`, `ping all`. Add your environments here.',
    '  "@chatops/plugin-ping":',
    '    targets:',
    '      self:',
    `        url: "http://127.0.0.1:${v('CHATOPS_HTTP_PORT', '8080')}/healthz"`,
    '',
  ];
  return lines.join('\n');
}

function platformBlock(answers: InitAnswers): string[] {
  switch (answers.platform) {
    case 'shell':
      return ['# The terminal: `chatops start` opens a prompt; you are shell:<your login>.'];
    case 'slack':
      return [
        '# Create the Slack app from slack-app-manifest.yaml, then put its tokens in the environment.',
        'slack:',
        `  mode: ${answers.slackMode}`,
        `  botToken: "${v('SLACK_BOT_TOKEN')}" # Bot User OAuth Token (OAuth & Permissions)`,
        answers.slackMode === 'socket'
          ? `  appToken: "${v('SLACK_APP_TOKEN')}" # App-level token with connections:write (Basic Information)`
          : `  signingSecret: "${v('SLACK_SIGNING_SECRET')}" # Basic Information → Signing Secret`,
        '  threadReplies: true # answer channel commands in a thread under them',
      ];
    case 'mattermost':
      return [
        '# Set Mattermost up as MATTERMOST-SETUP.md says, then put its tokens in the environment.',
        'mattermost:',
        `  url: "${v('MATTERMOST_URL')}" # the server's site URL`,
        `  token: "${v('MATTERMOST_TOKEN')}" # the bot account's access token`,
        `  commandTokens: ["${v('MATTERMOST_COMMAND_TOKEN')}"] # the /${answers.name} slash command's token`,
        `  publicUrl: "${v('CHATOPS_PUBLIC_URL', answers.publicUrl)}" # how Mattermost reaches this bot`,
      ];
  }
}
