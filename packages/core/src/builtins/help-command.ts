import type { CommandSpec } from '../plugins/plugin.js';
import { UserFacingError } from '../plugins/plugin.js';
import type { Router } from '../router/router.js';
import { usageDetails, usageLine } from '../router/usage.js';
import { mayRun } from '../security/may-run.js';
import type { Policy } from '../security/policy.js';

/** `help` and `help <command>`: only what the caller may run, grouped by plugin. */
export function helpCommand(robotName: string, router: Router, policy: Policy): CommandSpec {
  return {
    name: 'help',
    args: '[command...]',
    effect: 'read',
    summary: 'List the commands you may run, or show how to use one',
    examples: ['help', 'help ping'],
    run: (ctx) => {
      const words = (ctx.args['command'] as string[] | undefined) ?? [];
      const commands = router.commands.list().filter((command) => !command.spec.hidden);
      if (words.length > 0) {
        const match = router.commands.match(words.join(' '));
        if (!match || !mayRun(policy, ctx.user, match.command)) {
          throw new UserFacingError(`No command "${words.join(' ')}" that you may run. Try \`help\`.`);
        }
        return { title: match.command.path, code: usageDetails(match.command) };
      }
      const visible = commands.filter((command) => mayRun(policy, ctx.user, command));
      const byPlugin = new Map<string, string[]>();
      const add = (plugin: string, line: string) =>
        byPlugin.set(plugin, [...(byPlugin.get(plugin) ?? []), line]);
      for (const command of visible) add(command.plugin, `${usageLine(command)} - ${command.spec.summary}`);
      const listeners = router.documentedListeners();
      const visibleListeners = listeners.filter((listener) => mayRun(policy, ctx.user, listener));
      for (const listener of visibleListeners) {
        for (const entry of listener.help) add(listener.plugin, `${entry.usage} - ${entry.summary}`);
      }
      const lines: string[] = [];
      for (const [plugin, list] of [...byPlugin].sort(([a], [b]) =>
        a === 'core' ? -1 : b === 'core' ? 1 : a.localeCompare(b),
      )) {
        lines.push(`${plugin}:`);
        for (const line of [...new Set(list)].sort()) lines.push(`  ${line}`);
      }
      const hidden = commands.length - visible.length + listeners.length - visibleListeners.length;
      return {
        title: `Commands of ${robotName}`,
        code: lines.join('\n'),
        footer:
          hidden > 0
            ? `${hidden} more command(s) hidden: you may not run them.`
            : 'help <command> shows usage and examples',
      };
    },
  };
}
