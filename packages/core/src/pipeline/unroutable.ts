import type { RegisteredCommand } from '../router/registered.js';
import { suggestCommands } from '../router/suggest.js';
import { usageLine } from '../router/usage.js';
import type { Robot } from '../runtime/robot.js';
import { mayRun } from '../security/may-run.js';
import type { Context, Middleware } from './context.js';
import type { RequestOutcome } from './outcome.js';

/** An addressed line that runs no handler: nothing matched it, or its arguments did not parse. */
export type Unroutable =
  | { type: 'greeting' }
  | { type: 'unknown'; word: string }
  | { type: 'usage'; command: RegisteredCommand; error: string };

const STATE_KEY = 'unroutable';

/** Marks a request's state as an unroutable line, for {@link unroutableMiddleware}. */
export function unroutableState(line: Unroutable): Record<string, unknown> {
  return { [STATE_KEY]: line };
}

/**
 * Answers unroutable lines after identify and rate limit, and audits them (`unknown` or `usage`).
 * Suggestions and usage only name commands the caller may run: a usage error on a command they may
 * not run is answered as an unknown command, so neither reveals what `help` hides.
 */
export function unroutableMiddleware(robot: Robot): Middleware {
  // Named: the step's trace span is called after it.
  return async function unroutable(ctx, next) {
    const line = ctx.state[STATE_KEY] as Unroutable | undefined;
    if (!line) return next();
    const outcome = ctx.state['outcome'] as RequestOutcome;
    if (line.type === 'greeting') {
      outcome.status = 'ok';
      await robot.auditor.decision(ctx, 'unknown', { reason: 'no command given' });
      await ctx.reply(`Hi ${ctx.user.name}! Try \`help\`.`);
      return;
    }
    if (line.type === 'usage' && mayRun(robot.policy, ctx.user, line.command)) {
      const { command, error } = line;
      outcome.status = 'usage';
      outcome.message = `${error}. Usage: ${usageLine(command)}`;
      await robot.auditor.decision(ctx, 'usage', { reason: error });
      await ctx.replyPrivately({
        text: outcome.message,
        status: 'warn',
        footer: `Try: help ${command.path}`,
      });
      return;
    }
    const word = line.type === 'usage' ? line.command.words[0]! : line.word;
    outcome.status = 'unknown';
    outcome.message = `Unknown command "${word}".${hint(robot, ctx)}`;
    await robot.auditor.decision(ctx, 'unknown', { reason: `unknown command "${word}"` });
    await ctx.replyPrivately(outcome.message);
  };
}

function hint(robot: Robot, ctx: Context): string {
  const runnable = robot.router.commands
    .list()
    .filter((command) => mayRun(robot.policy, ctx.user, command))
    .map((command) => command.path);
  const suggestions = suggestCommands(ctx.invocation.text, runnable);
  return suggestions.length
    ? ` Did you mean ${suggestions.map((path) => `\`${path}\``).join(', ')}?`
    : ' Try `help`.';
}
