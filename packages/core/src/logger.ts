import { createRequire } from 'node:module';
import pino, { type Logger } from 'pino';
import type PinoPretty from 'pino-pretty';

const require = createRequire(import.meta.url);

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** `trace`, `debug`, `info`, `warn`, `error`, `fatal` or `silent`. */
  level: string;
  /** Human-readable lines instead of JSON; default: when logging to a terminal's stderr. */
  pretty?: boolean;
  /** Where lines go; default stderr. */
  destination?: NodeJS.WritableStream;
}

/** Keys whose values never reach the log, at any nesting depth up to {@link REDACT_DEPTH}. */
const SECRET_KEYS = [
  'token',
  'accessToken',
  'refreshToken',
  'botToken',
  'appToken',
  'userToken',
  'sessionToken',
  'commandTokens',
  'signingSecret',
  'clientSecret',
  'secret',
  'secretAccessKey',
  'privateKey',
  'password',
  'passwd',
  'apiKey',
  'authorization',
  'Authorization',
  'cookie',
  'Cookie',
  '["set-cookie"]',
  '["x-api-key"]',
];
const REDACT_DEPTH = 5;
const REDACT_PATHS = Array.from({ length: REDACT_DEPTH + 1 }, (_, depth) =>
  SECRET_KEYS.map((key) => ('*.'.repeat(depth) + key).replace('.[', '[')),
).flat();

/** Token shapes that are scrubbed from log messages too (Slack tokens, bearer credentials). */
const TOKEN_IN_TEXT = /\b(xox[a-z]|xapp)-[A-Za-z0-9-]+|(?<=\bBearer )[A-Za-z0-9._~+/=-]+/g;

/**
 * The robot's pino logger: JSON lines on stderr, or pretty lines in a terminal. Values under
 * secret-looking keys (`token`, `botToken`, `password`, `authorization`, …) become `[redacted]`,
 * and Slack tokens or bearer credentials inside message strings are scrubbed.
 */
export function createLogger(options: LoggerOptions): Logger {
  const pretty = options.pretty ?? (options.destination === undefined && process.stderr.isTTY === true);
  const loggerOptions: pino.LoggerOptions = {
    level: options.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    hooks: {
      logMethod(args, method) {
        const scrubbed = args.map((arg: unknown) =>
          typeof arg === 'string' ? arg.replace(TOKEN_IN_TEXT, '[redacted]') : arg,
        );
        return method.apply(this, scrubbed as Parameters<typeof method>);
      },
    },
  };
  if (pretty) return pino(loggerOptions, prettyStream(options.destination ?? process.stderr));
  return pino(loggerOptions, options.destination ?? pino.destination({ dest: 2, sync: true }));
}

/** Formats each line in-process and writes it synchronously, so no line is lost on exit. */
function prettyStream(destination: NodeJS.WritableStream): pino.DestinationStream {
  // Loaded only here: a robot logging JSON (a service, a container) never pays for the formatter.
  const { prettyFactory } = require('pino-pretty') as typeof PinoPretty;
  const colorize = (destination as { isTTY?: boolean }).isTTY === true;
  const format = prettyFactory({
    colorize,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname',
  });
  return { write: (line: string) => void destination.write(format(line)) };
}
