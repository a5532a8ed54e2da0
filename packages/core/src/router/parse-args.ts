import yargsParser from 'yargs-parser';
import type { ArgValue } from '../pipeline/context.js';
import type { OptionSpec } from '../plugins/plugin.js';
import { UsageError } from '../plugins/plugin.js';
import type { PositionalSpec } from './arg-spec.js';

/**
 * Parses the text after the command words with yargs-parser (quotes, `--flag`, `--key=value`) and
 * validates it against the declared positionals and options. Throws UsageError naming what was wrong.
 */
export function parseArgs(
  text: string,
  positionals: readonly PositionalSpec[],
  options: Readonly<Record<string, OptionSpec>>,
): Record<string, ArgValue> {
  const types: Record<'boolean' | 'string' | 'number', string[]> = { boolean: [], string: [], number: [] };
  const alias: Record<string, string> = {};
  for (const [name, option] of Object.entries(options)) {
    // Numbers are parsed here rather than by yargs, so an error can quote what was typed.
    types[option.type === 'number' ? 'string' : option.type].push(name);
    if (option.alias) alias[name] = option.alias;
  }
  const parsed = NEEDS_PARSER.test(text)
    ? yargsParser(text, {
        ...types,
        alias,
        configuration: {
          'camel-case-expansion': false,
          'dot-notation': false,
          'parse-numbers': false,
          'parse-positional-numbers': false,
          'duplicate-arguments-array': false,
          'strip-aliased': true,
          'greedy-arrays': false,
        },
      })
    : plainWords(text);

  const result: Record<string, ArgValue> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (key === '_' || key === '--') continue;
    // Only the command's own declared options: `--constructor` or `--toString` are not options.
    const option = Object.hasOwn(options, key) ? options[key] : undefined;
    if (!option) throw new UsageError(`unknown option ${flag(key)}`);
    result[key] = coerceOption(key, option, value);
  }
  for (const [name, option] of Object.entries(options)) {
    if (result[name] !== undefined) continue;
    if (option.default !== undefined) result[name] = option.default;
    else if (option.type === 'boolean') result[name] = false;
  }

  const words = [...parsed._, ...((parsed['--'] as unknown[] | undefined) ?? [])].map((word) =>
    unquote(String(word)),
  );
  positionals.forEach((spec, index) => {
    if (spec.variadic) {
      const rest = words.slice(index);
      if (spec.required && rest.length === 0) throw new UsageError(`missing <${spec.name}...>`);
      result[spec.name] =
        spec.type === 'number' ? rest.map((word) => String(toNumber(spec.name, word))) : rest;
      return;
    }
    const word = words[index];
    if (word === undefined) {
      if (spec.required) throw new UsageError(`missing <${spec.name}>`);
      return;
    }
    result[spec.name] = spec.type === 'number' ? toNumber(spec.name, word) : word;
  });
  const variadic = positionals.at(-1)?.variadic;
  if (!variadic && words.length > positionals.length) {
    throw new UsageError(`unexpected argument "${words[positionals.length]}"`);
  }
  return withCamelCaseAliases(result);
}

/**
 * Adds `dryRun` next to `dry-run`, as yargs does. The alias is not enumerable, so audit lines, approval
 * cards and `{ ...ctx.args }` show each argument once, under its declared name.
 */
function withCamelCaseAliases(args: Record<string, ArgValue>): Record<string, ArgValue> {
  for (const [name, value] of Object.entries(args)) {
    if (!name.includes('-')) continue;
    const alias = name.replace(/-+([a-zA-Z0-9])/g, (_, letter: string) => letter.toUpperCase());
    if (alias === name || Object.hasOwn(args, alias)) continue;
    Object.defineProperty(args, alias, { value, enumerable: false });
  }
  return args;
}

/** Quotes or a word starting with `-`: what yargs-parser is needed for. */
const NEEDS_PARSER = /["']|(?:^|\s)-/;

/** What yargs-parser returns for a line without quotes or flags: the words between spaces, as typed. */
function plainWords(text: string): yargsParser.Arguments {
  const words = text.trim().split(' ');
  return { _: words.filter((word) => word !== '') };
}

function coerceOption(name: string, option: OptionSpec, value: unknown): ArgValue {
  if (Array.isArray(value)) throw new UsageError(`${flag(name)} given more than once`);
  let coerced: ArgValue;
  if (option.type === 'boolean') {
    if (typeof value !== 'boolean') throw new UsageError(`${flag(name)} takes no value`);
    coerced = value;
  } else if (option.type === 'number') {
    coerced = toNumber(flag(name), value);
  } else {
    if (typeof value === 'boolean') throw new UsageError(`${flag(name)} needs a value`);
    coerced = String(value);
  }
  if (option.choices && !option.choices.includes(coerced as string | number)) {
    throw new UsageError(`${flag(name)} must be one of ${option.choices.join(', ')}`);
  }
  return coerced;
}

/** yargs-parser strips quotes from option values but not from positionals; do the same for both. */
function unquote(word: string): string {
  const first = word[0];
  return word.length >= 2 && (first === '"' || first === "'") && word.at(-1) === first
    ? word.slice(1, -1)
    : word;
}

function flag(name: string): string {
  return name.length === 1 ? `-${name}` : `--${name}`;
}

function toNumber(name: string, value: unknown): number {
  const number = typeof value === 'number' ? value : Number(value);
  if (typeof value === 'boolean' || value === '' || !Number.isFinite(number)) {
    throw new UsageError(`${name} must be a number, got "${String(value)}"`);
  }
  return number;
}
