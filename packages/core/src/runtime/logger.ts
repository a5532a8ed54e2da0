import { createRequire } from 'node:module';
import pino, { type Logger } from 'pino';
import type PinoPretty from 'pino-pretty';
import { redactLogFields, redactText } from '../audit/redact.js';

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

/**
 * The robot's pino logger: JSON lines on stderr, or pretty lines in a terminal. It redacts with the same
 * rules as the audit log: values under secret-looking keys (`token`, `botToken`, `password`,
 * `authorization`, `secretAccessKey`, …) become `[redacted]` at any depth, and credential shapes (tokens,
 * keys, `password=…`, AWS keys) are scrubbed from messages, field values, bindings and error messages.
 */
export function createLogger(options: LoggerOptions): Logger {
  const pretty = options.pretty ?? (options.destination === undefined && process.stderr.isTTY === true);
  const loggerOptions: pino.LoggerOptions = {
    level: options.level,
    formatters: {
      bindings: redactLogFields,
      log: redactLogFields,
    },
    hooks: {
      logMethod(args, method) {
        const scrubbed = args.map((arg: unknown) => (typeof arg === 'string' ? redactText(arg) : arg));
        return method.apply(this, scrubbed as Parameters<typeof method>);
      },
    },
  };
  const logger = pretty
    ? pino(loggerOptions, prettyStream(options.destination ?? process.stderr))
    : pino(loggerOptions, options.destination ?? pino.destination({ dest: 2, sync: true }));
  return redactingChildBindings(logger);
}

/**
 * pino does not pass a child's bindings through `formatters.bindings`, so they are redacted on the way
 * in. Children inherit from the root logger, so one own `child` on it covers every descendant.
 */
function redactingChildBindings(logger: Logger): Logger {
  const child = logger.child;
  function redactedChild(this: Logger, bindings: pino.Bindings, childOptions?: pino.ChildLoggerOptions) {
    return Reflect.apply(child, this, [redactLogFields(bindings), childOptions]) as Logger;
  }
  Object.defineProperty(logger, 'child', { value: redactedChild, writable: true, configurable: true });
  return logger;
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
