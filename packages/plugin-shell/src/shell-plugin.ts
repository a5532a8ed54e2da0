import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import {
  AccessDeniedError,
  type Args,
  type Bot,
  type Context,
  definePlugin,
  type Effect,
  redactText,
  UsageError,
  UserFacingError,
} from '@chatops/core';
import { type ShellConfig, shellConfigSchema } from './config.js';
import { CANCEL_ACTION } from './progress-card.js';
import { Redactor } from './redactor.js';
import { COMMAND_ACTION } from './script-card.js';
import { resolveScripts, type Script } from './script-catalog.js';
import { ScriptRunner } from './script-runner.js';
import { scriptDetailCard, scriptListCard } from './scripts-card.js';

/**
 * Runs whitelisted scripts from chat: `run <script> [args…]`, `scripts [name]`, and each script with
 * `expose: true` as its own command. Permission `shell.run.<script>`, effect as declared.
 */
export const shellPlugin = definePlugin<ShellConfig>({
  name: 'shell',
  config: shellConfigSchema,
  async setup(bot, config) {
    const scripts = resolveScripts(config, bot.configDir);
    await warnAboutMissingScripts(bot, scripts);
    const runner = new ScriptRunner(
      new Redactor(
        config.redact.map((source) => new RegExp(source, 'g')),
        redactText,
      ),
      {
        progressAfterMs: config.progress.after,
        progressEveryMs: config.progress.every,
        killGraceMs: config.killGrace,
        inlineLimit: config.inlineOutput,
      },
    );
    const find = (args: Args): Script | undefined => scripts.get(String(args['script'] ?? '').toLowerCase());

    bot.command({
      name: 'run',
      args: '<script> [args...]',
      summary: 'Run a declared script (see `scripts`)',
      examples: ['run disk-usage web-1'],
      effect: (args) => find(args)?.effect ?? 'read',
      permission: (args) => {
        const script = find(args);
        return script ? `shell.run.${script.name}` : 'shell.run';
      },
      run: (ctx) => {
        const script = find(ctx.args);
        if (!script) {
          throw new UsageError(`no script named "${String(ctx.args['script'])}"; \`scripts\` lists them`);
        }
        return runner.run(ctx, script, userValues(ctx));
      },
    });

    bot.command({
      name: 'scripts',
      args: '[script]',
      summary: 'List the scripts `run` can run, or explain one',
      effect: 'read',
      permission: 'shell.scripts',
      run: (ctx) => {
        if (ctx.args['script'] === undefined) return scriptListCard(scripts.values());
        const script = find(ctx.args);
        if (!script) throw new UsageError(`no script named "${String(ctx.args['script'])}"`);
        return scriptDetailCard(script);
      },
    });

    for (const script of scripts.values()) {
      if (!script.expose) continue;
      bot.command({
        name: script.name,
        args: '[args...]',
        summary: script.description,
        effect: script.effect,
        permission: `shell.run.${script.name}`,
        run: (ctx) => runner.run(ctx, script, userValues(ctx)),
      });
    }

    bot.action(CANCEL_ACTION, {
      effect: 'write',
      permission: (args) => `shell.cancel.${String(args['script'] ?? '')}`,
      run: async (ctx) => {
        const run = runner.runs.get(String(ctx.args['run'] ?? ''));
        if (!run) throw new UserFacingError('That run is already over.');
        const others = `shell.cancel-others.${run.script}`;
        if (ctx.user.key !== run.requester && !ctx.can(others)) {
          throw new AccessDeniedError(
            `Only whoever started this run, or someone granted ${others}, can cancel it.`,
            `only whoever started the run, or someone granted ${others}, may cancel it`,
          );
        }
        run.stop({ kind: 'cancelled', by: ctx.user.name });
        // The run replaces the progress message with its result; nothing to return here.
        await run.finished;
      },
    });

    bot.action(COMMAND_ACTION, {
      // The command line is dispatched as the clicker and authorized, approved and audited on its own.
      effect: 'read' satisfies Effect,
      permission: 'shell.command',
      run: async (ctx) => {
        const commandLine = ctx.args['command'];
        if (typeof commandLine !== 'string' || commandLine.trim() === '') {
          throw new UserFacingError('This button has no command to run.');
        }
        await ctx.execute(commandLine);
      },
    });

    return () => runner.stopAll();
  },
});

/** The user's arguments as the router parsed them (`[args...]`). */
function userValues(ctx: Context): string[] {
  const values = ctx.args['args'];
  if (values === undefined) return [];
  return (Array.isArray(values) ? values : [values]).map(String);
}

async function warnAboutMissingScripts(bot: Bot, scripts: Map<string, Script>): Promise<void> {
  for (const script of scripts.values()) {
    try {
      await access(script.command, constants.X_OK);
    } catch {
      bot.log.warn({ script: script.name, command: script.command }, 'script is missing or not executable');
    }
  }
}
