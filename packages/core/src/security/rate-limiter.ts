import type { Store } from '../store.js';

/** Token bucket settings. */
export interface RateLimit {
  burst: number;
  perMinute: number;
}

/** What {@link RateLimiter.take} decided. */
export interface RateDecision {
  allowed: boolean;
  /** Seconds until the next token, when refused. */
  retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  updated: number;
}

const PREFIX = 'chatops:rate:';
/** Concurrent takes on one bucket retry their compare-and-set; past this many, the request is refused. */
const MAX_ATTEMPTS = 20;

/**
 * A token bucket per key, kept in the store so it applies across replicas: `burst` requests at once,
 * refilled at `perMinute`. Each take is a compare-and-set on the bucket; a bucket left alone until
 * it is full again expires.
 */
export class RateLimiter {
  private readonly fullAfterMs: number;

  constructor(
    private readonly store: Store,
    private readonly limit: RateLimit,
    private readonly now: () => number,
  ) {
    this.fullAfterMs = Math.ceil((limit.burst / limit.perMinute) * 60_000);
  }

  /** Takes one token from the bucket of `key`. */
  async take(key: string): Promise<RateDecision> {
    const storeKey = PREFIX + key;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const stored = await this.store.get<Bucket>(storeKey);
      const bucket = this.refilled(stored);
      if (bucket.tokens < 1) {
        return {
          allowed: false,
          retryAfterSeconds: Math.ceil(((1 - bucket.tokens) / this.limit.perMinute) * 60),
        };
      }
      const next: Bucket = { tokens: bucket.tokens - 1, updated: bucket.updated };
      const options = { ttlMs: this.fullAfterMs + 1000 };
      const written =
        stored === undefined
          ? await this.store.setIfAbsent(storeKey, next, options)
          : await this.store.compareAndSet(storeKey, stored, next, options);
      if (written) return { allowed: true, retryAfterSeconds: 0 };
    }
    return { allowed: false, retryAfterSeconds: 1 };
  }

  private refilled(bucket: Bucket | undefined): Bucket {
    const now = this.now();
    if (!bucket) return { tokens: this.limit.burst, updated: now };
    const refill = ((now - bucket.updated) / 60_000) * this.limit.perMinute;
    // Rounded so refills that add up to a whole token are not lost to floating-point error.
    return {
      tokens: Math.min(this.limit.burst, Math.round((bucket.tokens + refill) * 1e6) / 1e6),
      updated: now,
    };
  }
}
