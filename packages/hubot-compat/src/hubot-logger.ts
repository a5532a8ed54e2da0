import type { Bot } from '@chatops/core';

/** `robot.logger`: Hubot's pino methods on the robot's log, plus `warning` as older scripts call it. */
export type HubotLogger = Record<
  'trace' | 'debug' | 'info' | 'warn' | 'warning' | 'error' | 'fatal',
  (message: unknown) => void
>;

export function hubotLogger(log: Bot['log']): HubotLogger {
  const child = log.child({ component: 'hubot' });
  return {
    trace: (message) => child.trace(String(message)),
    debug: (message) => child.debug(String(message)),
    info: (message) => child.info(String(message)),
    warn: (message) => child.warn(String(message)),
    warning: (message) => child.warn(String(message)),
    error: (message) => child.error(String(message)),
    fatal: (message) => child.fatal(String(message)),
  };
}
