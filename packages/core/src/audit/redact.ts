/**
 * What replaces a secret.
 *
 * @example
 * if (line.includes(REDACTED)) log.debug('output had a credential in it');
 */
export const REDACTED = '[redacted]';

/** Key words that mark a value as secret wherever they appear in a key (`dbPassword`, `x-api-key`). */
const SECRET_KEY_WORDS = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'apikey',
  'authorization',
  'cookie',
  'session',
  'credential',
];
/** Keys that are secret only as a whole word (`pwd`, but not `pwdir`). */
const SECRET_KEYS = new Set(['pwd', 'pass', 'auth', 'jwt', 'bearer', 'otp', 'pin']);
/** `…key` is secret only after one of these (`accessKey`, `privateKey`; not `key`, `sortKey`). */
const CREDENTIAL_KEY_PREFIXES = [
  'access',
  'private',
  'signing',
  'encryption',
  'master',
  'ssh',
  'client',
  'auth',
];
/** Keys that name a fact about a secret, not the secret (`passwordLastUsed`, `tokenExpiry`). */
const METADATA_SUFFIX =
  /(lastused|date|time|timeout|ttl|enabled|required|policy|length|(?<!ac)count|maxage|expires?|expiry|changed|created)$/;

function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** True when a key (`password`, `x-api-key`, `secretAccessKey`) names a value that must not be logged. */
export function isSecretKey(key: string, extraKeys: readonly string[] = []): boolean {
  const normal = normalizeKey(key);
  if (extraKeys.some((extra) => normalizeKey(extra) === normal)) return true;
  if (METADATA_SUFFIX.test(normal)) return false;
  if (SECRET_KEYS.has(normal)) return true;
  if (SECRET_KEY_WORDS.some((word) => normal.includes(word))) return true;
  return normal.endsWith('key') && CREDENTIAL_KEY_PREFIXES.some((prefix) => normal.endsWith(`${prefix}key`));
}

/** A credential shape found in free text, and how to redact it. */
export interface SecretPattern {
  name: string;
  pattern: RegExp;
  /** Builds the replacement from the match and its groups. */
  redact: (match: string, ...groups: string[]) => string;
}

const whole = (): string => REDACTED;
const KEY_WORD =
  '(?:password|passwd|passphrase|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?|authorization)';
const AUTH_SCHEME = '(?:(?:Bearer|Basic|Digest|Token|Bot)\\s+)?';
const ASSIGNED_VALUE = `("[^"\\n]*"|'[^'\\n]*'|${AUTH_SCHEME}[^\\s"',;&]+)`;

/** Keeps the key and separator, redacts the value (keeping its quotes), unless the key is metadata. */
function redactAssignment(match: string, key: string, separator: string, value: string): string {
  if (METADATA_SUFFIX.test(normalizeKey(key))) return match;
  const quote = value[0] === '"' || value[0] === "'" ? value[0] : '';
  return `${key}${separator}${quote}${REDACTED}${quote}`;
}

/** Credential shapes found in free text, most specific first. */
export const SECRET_PATTERNS: readonly SecretPattern[] = [
  {
    name: 'PEM private key',
    pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
    redact: whole,
  },
  {
    name: 'URL credentials',
    pattern: /\b([a-z][a-z0-9+.-]{0,30}:\/\/[^\s/:@]{1,256}):[^\s/@]{1,256}@/gi,
    redact: (_match, userPart) => `${userPart}:${REDACTED}@`,
  },
  { name: 'Slack webhook', pattern: /https:\/\/hooks\.slack\.com\/\S+/g, redact: whole },
  { name: 'Slack token', pattern: /\bxox[a-z](?:\.xox[a-z])?-[A-Za-z0-9-]{8,}/g, redact: whole },
  { name: 'Slack app token', pattern: /\bxapp-[A-Za-z0-9-]{8,}/g, redact: whole },
  {
    name: 'GitHub token',
    pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})/g,
    redact: whole,
  },
  { name: 'GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}/g, redact: whole },
  { name: 'npm token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/g, redact: whole },
  { name: 'Stripe key', pattern: /\b[rs]k_live_[A-Za-z0-9]{16,}/g, redact: whole },
  { name: 'Google API key', pattern: /\bAIza[A-Za-z0-9_-]{35}/g, redact: whole },
  {
    name: 'AWS access key id',
    pattern: /\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA)[A-Z0-9]{16}\b/g,
    redact: whole,
  },
  {
    // 40 characters of base64 with upper case, lower case and a digit: the shape of an AWS secret key.
    name: 'AWS secret access key',
    pattern:
      /(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+]*[A-Z])(?=[A-Za-z0-9/+]*[a-z])(?=[A-Za-z0-9/+]*[0-9])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g,
    redact: whole,
  },
  {
    name: 'JWT',
    pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g,
    redact: whole,
  },
  {
    name: 'Bearer token',
    pattern: /\b(Bearer)\s+[A-Za-z0-9._~+/-]{8,}=*/gi,
    redact: (_match, scheme) => `${scheme} ${REDACTED}`,
  },
  {
    // `password=…`, `"token": "…"`, `aws_secret_access_key = …`, `Authorization: Basic …`
    name: 'secret assignment',
    pattern: new RegExp(
      `\\b([\\w.-]{0,40}${KEY_WORD}[\\w.-]{0,40})(["']?\\s*[:=]\\s*)${ASSIGNED_VALUE}`,
      'gi',
    ),
    redact: redactAssignment,
  },
  {
    // `--password hunter2`, `-token abc`
    name: 'secret option',
    pattern: new RegExp(`(--?[\\w-]{0,40}${KEY_WORD}[\\w-]{0,40})(\\s+)(?!-)${ASSIGNED_VALUE}`, 'gi'),
    redact: redactAssignment,
  },
];

/** No pattern can match 12 characters or fewer of letters, digits, `_`, `.` and `-` alone (the shortest, a Slack token, needs 13). */
const PLAIN_WORD = /^[\w.-]{0,12}$/;

/**
 * Replaces every credential-looking part of free text (tokens, keys, URL passwords) with `[redacted]`.
 * Plugins pass command output through it before posting it.
 *
 * @example
 * redactText('curl https://deploy:s3cret@git.example.com/repo.git');
 * // 'curl https://deploy:[redacted]@git.example.com/repo.git'
 */
export function redactText(text: string): string {
  // Most values are short plain words (`prod`, `web-1`): too short and plain for any pattern below.
  if (PLAIN_WORD.test(text)) return text;
  let result = text;
  for (const { pattern, redact } of SECRET_PATTERNS) {
    result = result.replace(pattern, redact as (match: string, ...groups: unknown[]) => string);
  }
  return result;
}

const MAX_DEPTH = 20;

interface Walk {
  extraKeys: readonly string[];
  /** Keep errors as errors (message and stack redacted) instead of turning them into their message. */
  keepErrors: boolean;
  seen: Set<object>;
}

function redactValue(value: unknown, walk: Walk, depth: number): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Error) return walk.keepErrors ? redactError(value) : redactText(value.message);
  const { extraKeys, seen } = walk;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => redactValue(item, walk, depth + 1));
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      copy[key] =
        isSecretKey(key, extraKeys) && item !== undefined && item !== null
          ? REDACTED
          : redactValue(item, walk, depth + 1);
    }
    return copy;
  } finally {
    seen.delete(value);
  }
}

/**
 * Deep copy of `value` safe to log: values under secret-looking keys (token, password, secret,
 * apiKey, accessKey, authorization, cookie, session, credential, plus `extraKeys`) become
 * `[redacted]`, and credential-looking strings anywhere are redacted with {@link redactText}.
 *
 * @example
 * redactArgs({ region: 'eu', password: 'hunter2' }); // { region: 'eu', password: '[redacted]' }
 * redactArgs({ pin: '1234' }, ['pin']); // { pin: '[redacted]' }
 */
export function redactArgs(
  value: Record<string, unknown>,
  extraKeys?: readonly string[],
): Record<string, unknown>;
export function redactArgs(value: unknown, extraKeys?: readonly string[]): unknown;
export function redactArgs(value: unknown, extraKeys: readonly string[] = []): unknown {
  return redactValue(value, { extraKeys, keepErrors: false, seen: new Set() }, 0);
}

/**
 * Like {@link redactArgs}, for log lines: errors stay errors (same prototype, own fields redacted, message
 * and stack redacted), so the logger can still print their type and stack.
 */
export function redactLogFields(value: Record<string, unknown>): Record<string, unknown> {
  return redactValue(value, { extraKeys: [], keepErrors: true, seen: new Set() }, 0) as Record<
    string,
    unknown
  >;
}

function redactError(error: Error): Error {
  const copy = Object.create(Object.getPrototypeOf(error) as object) as Error;
  for (const [key, item] of Object.entries(error)) {
    (copy as unknown as Record<string, unknown>)[key] = isSecretKey(key) ? REDACTED : redactArgs(item);
  }
  copy.message = redactText(error.message);
  if (error.stack !== undefined) copy.stack = redactText(error.stack);
  if (error.cause !== undefined)
    copy.cause = error.cause instanceof Error ? redactError(error.cause) : redactArgs(error.cause);
  return copy;
}
