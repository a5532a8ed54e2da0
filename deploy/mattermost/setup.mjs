// Sets up a fresh local Mattermost (docker compose --profile mattermost) for the robot, through the
// REST API v4: the first user (who becomes system admin), team `ops-team` with channel `ops`, the bot
// account `opsbot` with an access token, and the `/opsbot` slash command pointing at the bot. Writes
// the tokens as an env file for the bot's container. Safe to run again: it reuses what exists.
import { writeFileSync } from 'node:fs';

const url = process.env.MATTERMOST_URL ?? 'http://mattermost:8065';
const botUrl = process.env.BOT_URL ?? 'http://chatops-mattermost:8080';
const output = process.env.OUTPUT ?? '/run/chatops/mattermost.env';
const admin = {
  username: process.env.MM_ADMIN_USER ?? 'admin',
  password: process.env.MM_ADMIN_PASSWORD ?? 'Admin-password-1',
  email: process.env.MM_ADMIN_EMAIL ?? 'admin@example.com',
};
let session = '';

async function api(method, path, body, { allow = [] } = {}) {
  const response = await fetch(`${url}/api/v4${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(session ? { authorization: `Bearer ${session}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok && !allow.includes(response.status)) {
    throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
  }
  return {
    status: response.status,
    headers: response.headers,
    body: await response.json().catch(() => ({})),
  };
}

async function waitForServer() {
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    const ok = await fetch(`${url}/api/v4/system/ping`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${url} did not answer /api/v4/system/ping in 5 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

async function login() {
  await api('POST', '/users', admin, { allow: [400, 403] }); // the first user becomes system admin
  const result = await api('POST', '/users/login', { login_id: admin.username, password: admin.password });
  session = result.headers.get('token') ?? '';
  return result.body;
}

async function findOrCreate(get, create) {
  const found = await api('GET', get, undefined, { allow: [404] });
  return found.status === 404 ? (await api('POST', create.path, create.body)).body : found.body;
}

await waitForServer();
const me = await login();
await api('PUT', '/config/patch', {
  ServiceSettings: {
    EnableBotAccountCreation: true,
    EnableUserAccessTokens: true,
    AllowedUntrustedInternalConnections: new URL(botUrl).hostname,
  },
});
const team = await findOrCreate('/teams/name/ops-team', {
  path: '/teams',
  body: { name: 'ops-team', display_name: 'Ops', type: 'O' },
});
await api('POST', `/teams/${team.id}/members`, { team_id: team.id, user_id: me.id });
const channel = await findOrCreate(`/teams/${team.id}/channels/name/ops`, {
  path: '/channels',
  body: { team_id: team.id, name: 'ops', display_name: 'ops', type: 'O' },
});
const bot = await findOrCreate('/users/username/opsbot', {
  path: '/bots',
  body: { username: 'opsbot', display_name: 'opsbot', description: 'ChatOps robot' },
});
const botUserId = bot.user_id ?? bot.id;
await api('POST', `/teams/${team.id}/members`, { team_id: team.id, user_id: botUserId });
await api('POST', `/channels/${channel.id}/members`, { user_id: botUserId });
await api('POST', `/channels/${channel.id}/members`, { user_id: me.id });
const token = (await api('POST', `/users/${botUserId}/tokens`, { description: 'chatops (compose)' })).body
  .token;
const commands = (await api('GET', `/commands?team_id=${team.id}&custom_only=true`)).body;
const command =
  commands.find((existing) => existing.trigger === 'opsbot') ??
  (
    await api('POST', '/commands', {
      team_id: team.id,
      trigger: 'opsbot',
      method: 'P',
      url: `${botUrl}/mattermost/command`,
      display_name: 'opsbot',
      description: 'Run an opsbot command (try "help")',
      auto_complete: true,
      auto_complete_hint: 'help | ping self | whoami',
    })
  ).body;
writeFileSync(
  output,
  [
    `MATTERMOST_URL=${url}`,
    `MATTERMOST_TOKEN=${token}`,
    `MATTERMOST_COMMAND_TOKEN=${command.token}`,
    `MATTERMOST_TEAM=ops-team`,
    `CHATOPS_ADMIN=mattermost:${me.id}`,
    '',
  ].join('\n'),
  { mode: 0o600 },
);
process.stdout.write(
  `Mattermost is ready: ${url} (log in as ${admin.username}), channel ~ops, /opsbot help\n`,
);
