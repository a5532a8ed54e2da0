import { LogLevel, type Logger as SlackLogger } from '@slack/web-api';
import type { Logger } from './logger.js';

/** Routes the Slack SDK's log lines into the robot's pino logger. */
export function sdkLogger(log: Logger): SlackLogger {
  let child = log;
  const line = (parts: unknown[]) =>
    parts.map((part) => (typeof part === 'string' ? part : String(part))).join(' ');
  return {
    debug: (...parts: unknown[]) => child.debug(line(parts)),
    info: (...parts: unknown[]) => child.info(line(parts)),
    warn: (...parts: unknown[]) => child.warn(line(parts)),
    error: (...parts: unknown[]) => child.error(line(parts)),
    // The robot's log level governs; the SDK asks so it can skip building debug lines.
    setLevel: () => {},
    getLevel: () => (log.isLevelEnabled('debug') ? LogLevel.DEBUG : LogLevel.INFO),
    setName: (name: string) => {
      child = log.child({ sdk: name });
    },
  };
}
