/** The chat platforms `chatops init` sets up. */
export const PLATFORMS = ['shell', 'slack', 'mattermost'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** What `chatops init` asks for (or takes from flags). */
export interface InitAnswers {
  platform: Platform;
  /** The bot's name: `@opsbot`, `/opsbot`. */
  name: string;
  /** Slack only: Socket Mode (no public URL) or HTTP (Events API). */
  slackMode: 'socket' | 'http';
  /** Slack HTTP mode and Mattermost: the bot's public base URL. */
  publicUrl: string;
}

/** Bot names become slash commands and config keys: letters, digits, `.`, `_`, `-`. */
export const BOT_NAME = /^[a-z0-9][\w.-]*$/i;
