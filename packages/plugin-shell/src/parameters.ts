/** How one user argument of a script is checked. Exactly one of `pattern`, `enum`, `number`. */
export interface ParameterSpec {
  name: string;
  description?: string;
  /** Regular expression the whole value must match (anchored for you). */
  pattern?: string;
  /** The allowed values. */
  enum?: readonly string[];
  /** A decimal number in a range. */
  number?: { min?: number; max?: number; integer?: boolean };
  required: boolean;
  /** Let the value start with `-` (it could otherwise be read as an option by the script). */
  allowDash: boolean;
  maxLength: number;
}

/** A user argument was refused; the message names the argument and why. */
export class ArgumentError extends Error {
  override name = 'ArgumentError';
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
const DECIMAL = /^[+-]?(?:\d+(?:\.\d+)?|\.\d+)$/;

/**
 * Checks user arguments against a script's declared parameters, before anything runs, and returns them
 * unchanged as the values to pass. Arguments are positional, in declaration order.
 */
export function validateArguments(parameters: readonly ParameterSpec[], values: readonly string[]): string[] {
  if (values.length > parameters.length) {
    const extra = values.slice(parameters.length).map((value) => quote(value));
    throw new ArgumentError(
      parameters.length === 0
        ? `takes no arguments, got ${extra.join(' ')}`
        : `too many arguments: ${extra.join(' ')} (takes at most ${parameters.length})`,
    );
  }
  const accepted: string[] = [];
  for (const [index, parameter] of parameters.entries()) {
    const value = values[index];
    if (value === undefined) {
      if (parameter.required) throw new ArgumentError(`missing <${parameter.name}>`);
      break;
    }
    checkValue(parameter, value);
    accepted.push(value);
  }
  return accepted;
}

/** Compiles a declared pattern so that it must match the whole value. */
export function anchoredPattern(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`, 'u');
}

function checkValue(parameter: ParameterSpec, value: string): void {
  const name = `<${parameter.name}>`;
  if (value === '') throw new ArgumentError(`${name} must not be empty`);
  if (value.length > parameter.maxLength) {
    throw new ArgumentError(`${name} is longer than ${parameter.maxLength} characters`);
  }
  if (CONTROL_CHARACTER.test(value)) throw new ArgumentError(`${name} must not contain control characters`);
  if (value.startsWith('-') && !parameter.allowDash) {
    throw new ArgumentError(`${name} must not start with "-": ${quote(value)}`);
  }
  if (parameter.pattern !== undefined && !anchoredPattern(parameter.pattern).test(value)) {
    throw new ArgumentError(`${name} must match ${parameter.pattern}: ${quote(value)}`);
  }
  if (parameter.enum !== undefined && !parameter.enum.includes(value)) {
    throw new ArgumentError(`${name} must be one of ${parameter.enum.join(', ')}: ${quote(value)}`);
  }
  if (parameter.number !== undefined) checkNumber(name, parameter.number, value);
}

function checkNumber(name: string, range: NonNullable<ParameterSpec['number']>, value: string): void {
  if (!DECIMAL.test(value)) throw new ArgumentError(`${name} must be a number: ${quote(value)}`);
  const number = Number(value);
  if (range.integer && !Number.isInteger(number)) throw new ArgumentError(`${name} must be a whole number`);
  if (range.min !== undefined && number < range.min)
    throw new ArgumentError(`${name} must be at least ${range.min}`);
  if (range.max !== undefined && number > range.max)
    throw new ArgumentError(`${name} must be at most ${range.max}`);
}

/** Quotes a user value for an error message, shortened so a huge argument cannot flood the chat. */
function quote(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}

/** `<host> [lines]`: the usage of a parameter list. */
export function parameterUsage(parameters: readonly ParameterSpec[]): string {
  return parameters
    .map((parameter) => (parameter.required ? `<${parameter.name}>` : `[${parameter.name}]`))
    .join(' ');
}
