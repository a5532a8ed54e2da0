/** The same marker the robot's audit log uses. */
const REPLACEMENT = '[redacted]';

/** AWS access key ids: a known prefix and 16 more upper-case letters or digits. */
const AWS_ACCESS_KEY_ID =
  /\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA)[A-Z0-9]{16}\b/g;
/** A 40-character base64 word with upper, lower case and a digit: the shape of an AWS secret key. */
const AWS_SECRET_KEY_LIKE =
  /(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+]*[A-Z])(?=[A-Za-z0-9/+]*[a-z])(?=[A-Za-z0-9/+]*[0-9])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;

/** Environment variable names whose values are secrets and must never appear in chat. */
const SECRET_NAME = /token|secret|passw|key|credential|auth/i;

/** Replaces secrets in text with `[redacted]`. */
export type RedactText = (text: string) => string;

/**
 * Redacts script output: the literal values of secret-looking variables the script was given, the
 * robot's shared rules (`redactText`: tokens, keys, `password=…`), AWS-key-like strings, and the
 * configured patterns.
 */
export class Redactor {
  private readonly patterns: RegExp[];

  constructor(
    patterns: readonly RegExp[],
    private readonly shared: RedactText,
  ) {
    this.patterns = [AWS_ACCESS_KEY_ID, AWS_SECRET_KEY_LIKE, ...patterns.map(global)];
  }

  /** Redacts `text`; `secretValues` are literal strings (e.g. a token given to the script) to hide. */
  redact(text: string, secretValues: readonly string[] = []): string {
    let result = text;
    for (const value of secretValues) {
      if (value.length >= 4) result = result.split(value).join(REPLACEMENT);
    }
    result = this.shared(result);
    for (const pattern of this.patterns) result = result.replace(pattern, REPLACEMENT);
    return result;
  }
}

/** The values of `env` entries whose names say they are secrets. */
export function secretValuesOf(env: Readonly<Record<string, string>>): string[] {
  return Object.entries(env)
    .filter(([name]) => SECRET_NAME.test(name))
    .map(([, value]) => value);
}

function global(pattern: RegExp): RegExp {
  return pattern.global ? pattern : new RegExp(pattern.source, `${pattern.flags}g`);
}
