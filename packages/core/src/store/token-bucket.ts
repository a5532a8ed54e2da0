/** Token bucket settings: `burst` requests at once, refilled at `perMinute`. */
export interface RateLimit {
  burst: number;
  perMinute: number;
}

/** A bucket as the stores keep it (JSON). */
export interface Bucket {
  tokens: number;
  updated: number;
}

/** What taking a token decided. */
export interface TokenDecision {
  allowed: boolean;
  /** Tokens left after this take (or, when refused, what the bucket holds). */
  tokens: number;
}

/** How long a bucket left alone takes to be full again: it can be forgotten (expire) after that. */
export function fullAfterMs(limit: RateLimit): number {
  return Math.ceil((limit.burst / limit.perMinute) * 60_000) + 1000;
}

/**
 * Takes one token from `stored` (undefined: a full bucket) at `now`; `next` is the bucket to store
 * when allowed. The Redis store runs the same arithmetic in Lua.
 */
export function takeToken(
  stored: Bucket | undefined,
  limit: RateLimit,
  now: number,
): TokenDecision & { next?: Bucket } {
  const previous = stored ?? { tokens: limit.burst, updated: now };
  const refill = ((now - previous.updated) / 60_000) * limit.perMinute;
  // Rounded so refills that add up to a whole token are not lost to floating-point error.
  const tokens = Math.min(limit.burst, Math.round((previous.tokens + refill) * 1e6) / 1e6);
  if (tokens < 1) return { allowed: false, tokens };
  return { allowed: true, tokens: tokens - 1, next: { tokens: tokens - 1, updated: now } };
}
