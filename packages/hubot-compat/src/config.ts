import { z } from 'zod';

const effect = z.enum(['read', 'write']);

const scriptSchema = z
  .strictObject({
    /** An npm package of Hubot scripts (`hubot-rules`), resolved from the config's folder. */
    module: z.string().min(1).optional(),
    /** A script file or a folder of scripts, relative to the config file. */
    path: z.string().min(1).optional(),
    /** The effect of every listener of the script; `write` (the default) is denied until a rule grants it. */
    effect: effect.default('write'),
    /** The `<script>` part of the permissions (`hubot.<script>.<listener>`); defaults from the module or file name. */
    name: z
      .string()
      .regex(/^[\w-]+$/, 'letters, digits, "_" or "-"')
      .optional(),
  })
  .refine((entry) => (entry.module === undefined) !== (entry.path === undefined), {
    message: 'give either "module" or "path"',
  });

/** The `hubot:` block of the config. */
export const hubotConfigSchema = z.strictObject({
  scripts: z.array(scriptSchema).default([]),
  /** Where `robot.router` routes are mounted on the robot's HTTP server. */
  httpPrefix: z
    .string()
    .regex(/^\/[\w./-]*[^/]$/, 'a path such as /hubot, without a trailing slash')
    .default('/hubot'),
  /** How often the brain is written to the store (it is also written on `save()` and at shutdown). */
  brainSaveEvery: z.number().int().positive().default(5000),
});

/** The validated `hubot:` block. */
export type HubotConfig = z.output<typeof hubotConfigSchema>;
/** One validated `scripts` entry. */
export type ScriptEntry = HubotConfig['scripts'][number];
