import { REDACTED } from '@chatops/core';

/** Environment variable names whose values are secrets and must never appear in chat. */
const SECRET_NAME = /token|secret|passw|key|credential|auth/i;

/** Replaces secrets in text with `[redacted]`. */
export type RedactText = (text: string) => string;

/**
 * Redacts script output: the literal values of secret-looking variables the script was given, the
 * robot's shared rules (core's `redactText`, the same as the audit log and the logger use: tokens, AWS
 * keys, `password=…`, private keys), and the configured patterns.
 */
export class Redactor {
  private readonly patterns: RegExp[];

  constructor(
    patterns: readonly RegExp[],
    private readonly shared: RedactText,
  ) {
    this.patterns = patterns.map(global);
  }

  /** Redacts `text`; `secretValues` are literal strings (e.g. a token given to the script) to hide. */
  redact(text: string, secretValues: readonly string[] = []): string {
    let result = text;
    for (const value of secretValues) {
      if (value.length >= 4) result = result.split(value).join(REDACTED);
    }
    result = this.shared(result);
    for (const pattern of this.patterns) result = result.replace(pattern, REDACTED);
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
