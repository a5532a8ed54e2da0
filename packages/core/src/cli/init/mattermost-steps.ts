import type { InitAnswers } from './init-answers.js';

/** MATTERMOST-SETUP.md: the steps on the Mattermost side, with this bot's name and URL filled in. */
export function mattermostSteps(answers: InitAnswers): string {
  const base = answers.publicUrl.replace(/\/+$/, '');
  const { name } = answers;
  return `# Setting up Mattermost for ${name}

1. **Bot account.** System Console → Integrations → Bot Accounts → turn on *Enable Bot Account
   Creation*. Then Integrations → Bot Accounts → *Add Bot Account*, username \`${name}\` (or
   \`mmctl bot create ${name}\`). Create a token on the bot's page (or \`mmctl token generate ${name} chatops\`);
   it is shown once: put it in \`MATTERMOST_TOKEN\`.
2. **Team and channels.** Add the bot to the team and to each channel it should listen in
   (\`/invite @${name}\`). DMs work without this.
3. **Slash command.** System Console → Integrations → Integration Management → turn on *Enable Custom
   Slash Commands*. In the team: Integrations → Slash Commands → *Add Slash Command*: trigger word
   \`${name}\`, request URL \`${base}/mattermost/command\`, method **POST**, autocomplete on. Put the token it
   shows in \`MATTERMOST_COMMAND_TOKEN\`.
4. **Callbacks.** If the bot's address is private, add its host to System Console → Environment →
   Developer → *Allow untrusted internal connections to* (slash commands and buttons need it).
5. **Environment.** Fill in \`.env\` from \`.env.example\` (\`MATTERMOST_URL\` is the server's site URL),
   then \`chatops check-config\` and \`chatops start\`. \`/${name} help\` answers in Mattermost.
`;
}
