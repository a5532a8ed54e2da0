import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Command, Option } from 'commander';
import { ConfigError } from '../config/config-error.js';
import { configJsonSchema } from '../config/json-schema.js';
import { configTemplate } from './init/config-template.js';
import { envExample } from './init/env-example.js';
import { BOT_NAME, type InitAnswers, PLATFORMS, type Platform } from './init/init-answers.js';
import { mattermostSteps } from './init/mattermost-steps.js';
import { slackManifest } from './init/slack-manifest.js';
import { runCli } from './run-cli.js';
import { loadSchemaContributions } from './schema-contributions.js';
import { writeNewFiles } from './write-new-files.js';

interface InitOptions {
  platform?: Platform;
  name?: string;
  slackMode?: 'socket' | 'http';
  publicUrl?: string;
  dir: string;
  yes?: boolean;
  force?: boolean;
}

/**
 * `chatops init`: asks for (or takes flags for) the platform and the bot's name, then writes a
 * commented config, its JSON Schema, `.env.example` with every variable the config uses, and the
 * Slack app manifest or the Mattermost setup steps.
 */
export function initCommand(): Command {
  return new Command('init')
    .description('Write a commented config, .env.example and the platform set-up for a new bot')
    .addOption(new Option('-p, --platform <platform>', 'chat platform').choices(PLATFORMS))
    .option('-n, --name <name>', 'the bot name (@name, /name)')
    .addOption(
      new Option('--slack-mode <mode>', 'Slack: socket (no public URL) or http').choices(['socket', 'http']),
    )
    .option('--public-url <url>', 'Slack http mode and Mattermost: the URL the platform reaches the bot at')
    .option('-d, --dir <dir>', 'where to write the files', '.')
    .option('-y, --yes', 'ask nothing: defaults for what no flag gives')
    .option('-f, --force', 'replace files that exist')
    .action((options: InitOptions) =>
      runCli(async () => {
        const answers = await askMissing(options);
        const dir = resolve(options.dir);
        const config = configTemplate(answers);
        const contributions = await loadSchemaContributions({ baseDir: dir, warn: () => undefined });
        const files: Record<string, string> = {
          'chatops.config.yaml': config,
          'chatops.schema.json': `${JSON.stringify(configJsonSchema(contributions), null, 2)}\n`,
          '.env.example': envExample(config),
          ...(answers.platform === 'slack' ? { 'slack-app-manifest.yaml': slackManifest(answers) } : {}),
          ...(answers.platform === 'mattermost' ? { 'MATTERMOST-SETUP.md': mattermostSteps(answers) } : {}),
        };
        const written = await writeNewFiles(dir, files, { force: options.force });
        process.stdout.write(`${written.map((path) => `wrote ${path}`).join('\n')}\n${nextSteps(answers)}`);
        return 0;
      }),
    );
}

async function askMissing(options: InitOptions): Promise<InitAnswers> {
  const defaults = {
    platform: 'shell',
    name: 'opsbot',
    slackMode: 'socket',
    publicUrl: 'https://bot.example.com',
  };
  const questions = options.yes ? undefined : createInterface({ input: process.stdin, terminal: false });
  // The iterator buffers lines, so answers piped in all at once are not lost; at EOF, defaults.
  const answers = questions?.[Symbol.asyncIterator]();
  const ask = async (question: string, fallback: string): Promise<string> => {
    if (!answers) return fallback;
    process.stderr.write(`${question} [${fallback}] `);
    const next = await answers.next();
    return (next.done ? '' : String(next.value)).trim() || fallback;
  };
  try {
    const platform =
      options.platform ?? (await ask(`Platform (${PLATFORMS.join(', ')})?`, defaults.platform));
    if (!PLATFORMS.includes(platform as Platform))
      throw new ConfigError(`platform "${platform}": choose ${PLATFORMS.join(', ')}`);
    const name = options.name ?? (await ask('Bot name?', defaults.name));
    if (!BOT_NAME.test(name)) throw new ConfigError(`bot name "${name}": letters, digits, ".", "_" or "-"`);
    const slackMode =
      platform === 'slack'
        ? (options.slackMode ?? (await ask('Slack mode (socket, http)?', defaults.slackMode)))
        : 'socket';
    if (slackMode !== 'socket' && slackMode !== 'http')
      throw new ConfigError(`Slack mode "${slackMode}": choose socket or http`);
    const needsUrl = platform === 'mattermost' || slackMode === 'http';
    const publicUrl = needsUrl
      ? (options.publicUrl ?? (await ask('Public URL of the bot?', defaults.publicUrl)))
      : defaults.publicUrl;
    if (needsUrl && !/^https?:\/\/[^\s/]+/.test(publicUrl))
      throw new ConfigError(`public URL "${publicUrl}": an http(s) URL such as https://bot.example.com`);
    return { platform: platform as Platform, name, slackMode, publicUrl };
  } finally {
    questions?.close();
  }
}

function nextSteps(answers: InitAnswers): string {
  const setup = {
    shell: '',
    slack: '  create the Slack app from slack-app-manifest.yaml and copy its tokens,\n',
    mattermost: '  follow MATTERMOST-SETUP.md,\n',
  }[answers.platform];
  return `Next:\n${setup}  cp .env.example .env and fill it in (export its variables),\n  chatops check-config && chatops start\n`;
}
