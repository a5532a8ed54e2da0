const REPLACEMENT = '[REDACTED]';

/** AWS access key ids: a known prefix and 16 more upper-case letters or digits. */
const AWS_ACCESS_KEY_ID =
  /\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA)[A-Z0-9]{16}\b/g;
/** A 40-character base64 word with upper, lower case and a digit: the shape of an AWS secret key. */
const AWS_SECRET_KEY_LIKE =
  /(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+]*[A-Z])(?=[A-Za-z0-9/+]*[a-z])(?=[A-Za-z0-9/+]*[0-9])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
/** `aws_session_token = …` and the like in config files or env dumps. */
const AWS_SESSION_TOKEN = /((?:aws_?)?session_?token["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{16,}/gi;

/** Environment variable names whose values are secrets and must never appear in chat. */
const SECRET_NAME = /token|secret|passw|key|credential|auth/i;

/** Replaces secrets in text with `[REDACTED]`. */
export type RedactText = (text: string) => string;

/**
 * Redacts script output: the shared rules of the robot first, then AWS-key-like strings, the configured
 * patterns, and the literal values of secret-looking variables the script was given.
 */
export class Redactor {
  private readonly patterns: RegExp[];

  constructor(
    patterns: readonly RegExp[],
    private readonly shared: RedactText = (text) => text,
  ) {
    this.patterns = [AWS_ACCESS_KEY_ID, AWS_SECRET_KEY_LIKE, ...patterns.map(global)];
  }

  /** Redacts `text`; `secretValues` are literal strings (e.g. a token given to the script) to hide. */
  redact(text: string, secretValues: readonly string[] = []): string {
    let result = this.shared(text);
    for (const value of secretValues) {
      if (value.length >= 4) result = result.split(value).join(REPLACEMENT);
    }
    result = result.replace(AWS_SESSION_TOKEN, `$1${REPLACEMENT}`);
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
