import type { Store } from '../store/store.js';
import type { RateLimit } from '../store/token-bucket.js';

export type { RateLimit } from '../store/token-bucket.js';

/** What {@link RateLimiter.take} decided. */
export interface RateDecision {
  allowed: boolean;
  /** Seconds until the next token, when refused. */
  retryAfterSeconds: number;
}

const PREFIX = 'chatops:rate:';

/**
 * A token bucket per key, kept in the store so it applies across replicas: `burst` requests at once,
 * refilled at `perMinute`. Each take is one atomic step of the store (a Lua script on Redis, an
 * immediate transaction on SQLite).
 */
export class RateLimiter {
  constructor(
    private readonly store: Store,
    private readonly limit: RateLimit,
  ) {}

  /** Takes one token from the bucket of `key`. */
  async take(key: string): Promise<RateDecision> {
    const { allowed, tokens } = await this.store.takeToken(PREFIX + key, this.limit);
    if (allowed) return { allowed, retryAfterSeconds: 0 };
    return { allowed, retryAfterSeconds: Math.ceil(((1 - tokens) / this.limit.perMinute) * 60) };
  }
}
