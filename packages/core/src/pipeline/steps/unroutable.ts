import type { Router } from '../../router/router.js';
import { suggestCommands } from '../../router/suggest.js';
import { usageLine } from '../../router/usage.js';
import type { Auditor } from '../../security/auditor.js';
import { mayRun } from '../../security/may-run.js';
import type { Policy } from '../../security/policy.js';
import type { Context } from '../context.js';
import type { Step } from '../step.js';

/**
 * Answers unroutable lines after identify and rate limit, and audits them (`unknown` or `usage`).
 * Suggestions and usage only name commands the caller may run: a usage error on a command they may
 * not run is answered as an unknown command, so neither reveals what `help` hides.
 */
export function unroutableStep(
  router: Pick<Router, 'commands'>,
  policy: Policy,
  auditor: Pick<Auditor, 'decision'>,
): Step {
  return async function unroutable(ctx, request, next) {
    const line = request.unroutable;
    if (!line) return next();
    const { outcome } = request;
    if (line.type === 'greeting') {
      outcome.status = 'ok';
      await auditor.decision(ctx, 'unknown', { reason: 'no command given' });
      await ctx.reply(`Hi ${ctx.user.name}! Try \`help\`.`);
      return;
    }
    if (line.type === 'usage' && mayRun(policy, ctx.user, line.command)) {
      const { command, error } = line;
      outcome.status = 'usage';
      outcome.message = `${error}. Usage: ${usageLine(command)}`;
      await auditor.decision(ctx, 'usage', { reason: error });
      await ctx.replyPrivately({
        text: outcome.message,
        status: 'warn',
        footer: `Try: help ${command.path}`,
      });
      return;
    }
    const word = line.type === 'usage' ? line.command.words[0]! : line.word;
    outcome.status = 'unknown';
    outcome.message = `Unknown command "${word}".${hint(router, policy, ctx)}`;
    await auditor.decision(ctx, 'unknown', { reason: `unknown command "${word}"` });
    await ctx.replyPrivately(outcome.message);
  };
}

function hint(router: Pick<Router, 'commands'>, policy: Policy, ctx: Context): string {
  const runnable = router.commands
    .list()
    .filter((command) => mayRun(policy, ctx.user, command))
    .map((command) => command.path);
  const suggestions = suggestCommands(ctx.invocation.text, runnable);
  return suggestions.length
    ? ` Did you mean ${suggestions.map((path) => `\`${path}\``).join(', ')}?`
    : ' Try `help`.';
}
