import { defaultPermission, type RegisteredAction, type RegisteredCommand } from './registered.js';

/** `ping <target> [--verbose]`: the one-line usage of a command. */
export function usageLine(command: RegisteredCommand): string {
  const parts = [command.path];
  if (command.spec.args?.trim()) parts.push(command.spec.args.trim());
  for (const [name, option] of Object.entries(command.options)) {
    const flag = name.length === 1 ? `-${name}` : `--${name}`;
    parts.push(option.type === 'boolean' ? `[${flag}]` : `[${flag} <${option.type}>]`);
  }
  return parts.join(' ');
}

/**
 * The permission a command or action is checked against, for people: `deploy`, or
 * `shell.run (depends on the arguments)` when the plugin computes it from the arguments.
 */
export function permissionLabel(registered: RegisteredCommand | RegisteredAction): string {
  if (typeof registered.spec.permission !== 'function') return registered.permission({});
  const name = 'path' in registered ? defaultPermission(registered.plugin, registered.words) : registered.id;
  return `${name} (depends on the arguments)`;
}

/** Usage, description, permission, options and examples for `help <command>`. */
export function usageDetails(command: RegisteredCommand): string {
  const effect = typeof command.spec.effect === 'function' ? 'depends on the arguments' : command.spec.effect;
  const lines = [
    `Usage: ${usageLine(command)}`,
    '',
    command.spec.description ?? command.spec.summary,
    '',
    `Permission: ${permissionLabel(command)}; effect: ${effect}`,
  ];
  const options = Object.entries(command.options);
  if (options.length > 0) {
    lines.push('', 'Options:');
    for (const [name, option] of options) {
      const alias = option.alias ? `-${option.alias}, ` : '';
      const extra = [
        option.choices ? `one of ${option.choices.join('|')}` : '',
        option.default !== undefined ? `default ${String(option.default)}` : '',
      ]
        .filter(Boolean)
        .join('; ');
      const flag = name.length === 1 ? `-${name}` : `--${name}`;
      lines.push(`  ${alias}${flag}  ${option.description ?? ''}${extra ? ` (${extra})` : ''}`.trimEnd());
    }
  }
  if (command.spec.examples?.length) {
    lines.push('', 'Examples:', ...command.spec.examples.map((example) => `  ${example}`));
  }
  return lines.join('\n');
}
