import type { Args } from '../pipeline/context.js';
import type { OptionSpec } from './option-spec.js';

// Type-level reading of a command's `args` string and `options`, mirroring `parsePositionals` and
// `parseArgs`: what the parser guarantees at run time is what the handler's `ctx.args` says.

type TrimStart<S extends string> = S extends ` ${infer Rest}` ? TrimStart<Rest> : S;

type Tokens<S extends string> =
  TrimStart<S> extends `${infer Head} ${infer Tail}`
    ? [Head, ...Tokens<Tail>]
    : TrimStart<S> extends ''
      ? []
      : [TrimStart<S>];

type Bracketed<T extends string> = T extends `<${infer Inner}>`
  ? { inner: Inner; required: true }
  : T extends `[${infer Inner}]`
    ? { inner: Inner; required: false }
    : never;

type WithType<I extends string> = I extends `${infer Name}:number`
  ? { name: Name; value: number }
  : I extends `${infer Name}:string`
    ? { name: Name; value: string }
    : { name: I; value: string };

/** One `<name>`, `[name]`, `<name:number>` or `<rest...>` token as an object type. */
type Positional<T extends string> =
  Bracketed<T> extends { inner: infer I extends string; required: infer R }
    ? WithType<I> extends { name: infer N extends string; value: infer V }
      ? N extends `${infer Base}...`
        ? { [K in Base]: string[] }
        : { [K in N]: R extends true ? V : V | undefined }
      : never
    : never;

type PositionalsOf<T extends string[]> = T extends [infer Head extends string, ...infer Rest extends string[]]
  ? Positional<Head> & PositionalsOf<Rest>
  : unknown;

/**
 * The positional arguments declared by an `args` string.
 * @example
 * type Positionals = PositionalArgs<'<env> [count:number] [rest...]'>;
 * // { env: string } & { count: number | undefined } & { rest: string[] }
 */
export type PositionalArgs<S extends string> = PositionalsOf<Tokens<S>>;

type OptionType<O extends OptionSpec> = O extends { choices: readonly (infer Choice)[] }
  ? Choice
  : O['type'] extends 'number'
    ? number
    : O['type'] extends 'boolean'
      ? boolean
      : string;

/** A boolean option is always set (false when absent); other options only with a default. */
type OptionValue<O extends OptionSpec> =
  | OptionType<O>
  | (O['type'] extends 'boolean'
      ? never
      : O extends { default: string | number | boolean }
        ? never
        : undefined);

/**
 * The values of declared `--options`: with a default an option is always present, without one it may
 * be `undefined`; booleans are always `boolean`.
 * @example
 * type Options = OptionArgs<{ times: { type: 'number'; default: 1 }; to: { type: 'string' } }>;
 * // { readonly times: number; readonly to: string | undefined }
 */
export type OptionArgs<O extends Readonly<Record<string, OptionSpec>>> = {
  readonly [K in keyof O]: OptionValue<O[K]>;
} & {
  // A dashed option is also there in camelCase (`dry-run` as `dryRun`), as yargs does.
  readonly [K in keyof O as K extends `${string}-${string}` ? CamelCase<K & string> : never]: OptionValue<
    O[K]
  >;
};

type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

type Flatten<T> = { readonly [K in keyof T]: T[K] } & {};

/**
 * What `ctx.args` holds for a command declared with `args: A` and `options: O`. A non-literal `args`
 * string gives the untyped {@link Args}. `bot.command` infers it; name it to type a helper.
 * @example
 * const options = { force: { type: 'boolean' } } as const;
 * type DeployArgs = CommandArgs<'<service> [version]', typeof options>;
 * // { readonly service: string; readonly version: string | undefined; readonly force: boolean }
 * function deploy(ctx: Context<DeployArgs>) { … }
 */
export type CommandArgs<A extends string, O extends Readonly<Record<string, OptionSpec>>> = string extends A
  ? Args
  : Flatten<PositionalArgs<A> & OptionArgs<O>>;
