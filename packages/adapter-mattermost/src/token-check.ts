import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * True when `candidate` equals one of `tokens`. Compares fixed-size digests in constant time and checks
 * every token, so neither the length nor the position of a match shows in the timing.
 */
export function matchesAnyToken(candidate: string, tokens: readonly string[]): boolean {
  const given = digest(candidate);
  let matched = false;
  for (const token of tokens) {
    matched = timingSafeEqual(given, digest(token)) || matched;
  }
  return matched && candidate.length > 0;
}

/** The token of a slash-command request: the form's `token`, else `Authorization: Token <token>`. */
export function commandTokenOf(form: Record<string, unknown>, authorization: string | undefined): string {
  if (typeof form.token === 'string' && form.token) return form.token;
  const match = /^token\s+(.+)$/i.exec(authorization ?? '');
  return match?.[1]?.trim() ?? '';
}
