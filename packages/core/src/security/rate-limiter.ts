/** Token bucket settings. */
export interface RateLimit {
  burst: number;
  perMinute: number;
}

/** A token bucket per key: `burst` requests at once, refilled at `perMinute`. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updated: number }>();

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number,
  ) {}

  /** Takes one token; false when the bucket is empty. */
  take(key: string): boolean {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.burst, updated: now };
    const refill = ((now - bucket.updated) / 60_000) * this.limit.perMinute;
    // Rounded so refills that add up to a whole token are not lost to floating-point error.
    bucket.tokens = Math.min(this.limit.burst, Math.round((bucket.tokens + refill) * 1e6) / 1e6);
    bucket.updated = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    if (this.buckets.size > 10_000) this.forgetFull(now);
    return true;
  }

  /** Seconds until the next token. */
  retryAfterSeconds(key: string): number {
    const bucket = this.buckets.get(key);
    if (!bucket || bucket.tokens >= 1) return 0;
    return Math.ceil(((1 - bucket.tokens) / this.limit.perMinute) * 60);
  }

  private forgetFull(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.updated) / 60_000) * this.limit.perMinute >= this.limit.burst) {
        this.buckets.delete(key);
      }
    }
  }
}
