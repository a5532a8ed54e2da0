/** A rule that answers the next matching requests with 429. */
export interface RateLimitRule {
  /** How many requests to refuse. */
  times: number;
  /** `Retry-After` in seconds (integer, as the server sends). */
  retryAfterSeconds: number;
  /** Only requests whose `METHOD /path` matches (e.g. `/^POST \/api\/v4\/posts$/`). */
  match?: RegExp;
}

/** Rate limiting on demand: the server's limiter is off by default, tests switch it on per request. */
export class RateLimiter {
  private rules: RateLimitRule[] = [];
  /** How many requests were refused so far. */
  limited = 0;

  add(rule: RateLimitRule): void {
    this.rules.push({ ...rule });
  }

  /** The `Retry-After` to answer with when this request is limited. */
  check(method: string, path: string): number | undefined {
    const rule = this.rules.find((candidate) => candidate.match?.test(`${method} ${path}`) ?? true);
    if (!rule) return undefined;
    rule.times -= 1;
    if (rule.times <= 0) this.rules = this.rules.filter((candidate) => candidate !== rule);
    this.limited += 1;
    return rule.retryAfterSeconds;
  }
}
