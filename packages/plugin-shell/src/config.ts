import { durationSchema, MAX_TIMER_MS } from '@chatops/core';
import { z } from 'zod';
import { anchoredPattern } from './parameters.js';

const NAME = /^[a-z0-9][a-z0-9_-]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Words a script exposed as a top-level command must not take over. */
const RESERVED_COMMANDS = new Set(['run', 'scripts', 'help']);
/** Variables the plugin sets itself. */
const OWN_ENV = /^CHATOPS_/;

/** Timeouts and intervals here are timers: at most about 24 days. */
const duration = durationSchema({ max: MAX_TIMER_MS });

const regex = z.string().refine(
  (source) => {
    try {
      anchoredPattern(source);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a valid regular expression' },
);

const parameterSchema = z
  .strictObject({
    name: z.string().regex(/^[a-zA-Z][\w-]*$/, 'letters, digits, "_" or "-", starting with a letter'),
    description: z.string().optional(),
    /** The whole value must match (it is anchored for you). */
    pattern: regex.optional(),
    enum: z.array(z.string().min(1)).min(1).optional(),
    number: z
      .strictObject({
        min: z.number().optional(),
        max: z.number().optional(),
        integer: z.boolean().default(false),
      })
      .optional(),
    required: z.boolean().default(true),
    /** Allow a value starting with `-` (the user must then write it after `--`). */
    allowDash: z.boolean().default(false),
    maxLength: z.number().int().positive().max(4096).default(256),
  })
  .refine(
    (parameter) =>
      [parameter.pattern, parameter.enum, parameter.number].filter((check) => check !== undefined).length ===
      1,
    { message: 'declare exactly one of pattern, enum or number' },
  );

const scriptSchema = z
  .strictObject({
    description: z.string().min(1),
    /** Path of the executable; a relative path resolves against the config file's directory. */
    command: z.string().min(1),
    /** Fixed arguments, before the user's. */
    args: z.array(z.string()).default([]),
    /** The user's arguments, positional, in this order. */
    params: z.array(parameterSchema).default([]),
    timeout: duration.default(30_000),
    /** Working directory; relative to the config file's directory. Defaults to that directory. */
    cwd: z.string().optional(),
    /** Variables set for the script, on top of PATH, HOME and LANG. */
    env: z.record(z.string().regex(ENV_NAME), z.string()).default({}),
    /** Names of the bot's own variables to pass through when set (e.g. AWS_PROFILE). */
    passEnv: z.array(z.string().regex(ENV_NAME)).default([]),
    effect: z.enum(['read', 'write']).default('write'),
    /** Bytes of output kept (head and tail); the rest is dropped and counted. */
    maxOutput: z
      .number()
      .int()
      .min(1024)
      .default(1024 * 1024),
    /** Runs at the same time; more wait in a queue. */
    concurrency: z.number().int().positive().default(1),
    /** Runs waiting at most; more are refused. */
    maxQueue: z.number().int().min(0).default(10),
    /** Also register the script as a top-level command (`disk-usage web-1`). */
    expose: z.boolean().default(false),
    /** Put `--` before the user's arguments, so the script cannot mistake them for options. */
    passAfterDoubleDash: z.boolean().default(false),
  })
  .superRefine((script, context) => {
    const firstOptional = script.params.findIndex((parameter) => !parameter.required);
    if (firstOptional >= 0 && script.params.slice(firstOptional).some((parameter) => parameter.required)) {
      context.addIssue({
        code: 'custom',
        path: ['params'],
        message: 'required params must come before optional ones',
      });
    }
    const names = script.params.map((parameter) => parameter.name);
    if (new Set(names).size !== names.length) {
      context.addIssue({ code: 'custom', path: ['params'], message: 'param names must be unique' });
    }
    for (const name of [...Object.keys(script.env), ...script.passEnv]) {
      if (OWN_ENV.test(name)) {
        context.addIssue({
          code: 'custom',
          path: ['env'],
          message: `${name}: CHATOPS_* variables are set by the plugin`,
        });
      }
    }
  });

/** The plugin's config block. */
export const shellConfigSchema = z
  .strictObject({
    scripts: z
      .record(z.string().regex(NAME, 'lower-case letters, digits, "_" or "-"'), scriptSchema)
      .default({}),
    /** Extra secret patterns (regular expressions) redacted from output, on top of the built-in ones. */
    redact: z.array(regex).default([]),
    /** Replaced by the permission `shell.cancel-others.<script>`; kept only to say so. */
    cancelRoles: z.unknown().optional(),
    progress: z
      .strictObject({
        /** A run taking longer than this shows a progress message. */
        after: duration.default(3000),
        /** How often the progress message is updated. */
        every: duration.default(5000),
      })
      .prefault({}),
    /** Time between SIGTERM and SIGKILL. */
    killGrace: duration.default(5000),
    /** Output longer than this many characters (or 40 lines) is attached as a file. */
    inlineOutput: z.number().int().positive().default(2500),
  })
  .superRefine((config, context) => {
    if (config.cancelRoles !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['cancelRoles'],
        message:
          'moved to the auth rules: grant shell.cancel-others.<script> instead, e.g. { allow: "shell.cancel-others.*", roles: [admin] }',
      });
    }
    for (const [name, script] of Object.entries(config.scripts)) {
      if (script.expose && RESERVED_COMMANDS.has(name)) {
        context.addIssue({
          code: 'custom',
          path: ['scripts', name, 'expose'],
          message: `"${name}" is a reserved command`,
        });
      }
    }
  });

/** Validated plugin config. */
export type ShellConfig = z.output<typeof shellConfigSchema>;
/** One validated script declaration. */
export type ScriptConfig = ShellConfig['scripts'][string];
