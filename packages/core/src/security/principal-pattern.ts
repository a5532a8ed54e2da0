import type { Principal } from '../chat/principal.js';

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i');
}

const cache = new Map<string, RegExp>();

/** Matches a glob (`aws.s3.*`, `slack:U*`, `*`), case-insensitively. */
export function globMatches(glob: string, value: string): boolean {
  let pattern = cache.get(glob);
  if (!pattern) {
    pattern = globToRegExp(glob);
    cache.set(glob, pattern);
  }
  return pattern.test(value);
}

/**
 * Whether a principal pattern from config names this principal: `slack:U123`, `shell:*`,
 * `email:alice@example.com`, `email:*@example.com` or `*` (everyone).
 */
export function principalMatches(pattern: string, principal: Pick<Principal, 'key' | 'email'>): boolean {
  if (pattern === '*') return true;
  if (pattern.toLowerCase().startsWith('email:')) {
    return principal.email !== undefined && globMatches(pattern.slice('email:'.length), principal.email);
  }
  return globMatches(pattern, principal.key);
}
