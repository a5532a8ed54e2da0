/** A rule that answers the next matching requests with 429. */
export interface RateLimitRule {
  /** How many requests to refuse. */
  times: number;
  /** `Retry-After` in seconds (integer, as the server sends). */
  retryAfterSeconds: number;
  /** Only requests whose `METHOD /path` matches (e.g. `/^POST \/api\/v4\/posts$/`). */
  match?: RegExp;
}

/** A rule that answers the next matching requests with an AppError (a database hiccup, a restart). */
export interface FailureRule {
  /** How many requests to fail. */
  times: number;
  /** HTTP status of the AppError (default 500). */
  status?: number;
  /** Only requests whose `METHOD /path` matches. */
  match?: RegExp;
}

/** Rules used up one matching request at a time. */
export class RequestRules<R extends { times: number; match?: RegExp }> {
  private rules: R[] = [];
  /** How many requests matched a rule so far. */
  hits = 0;

  add(rule: R): void {
    this.rules.push({ ...rule });
  }

  /** The rule this request uses up, if any. */
  take(method: string, path: string): R | undefined {
    const rule = this.rules.find((candidate) => candidate.match?.test(`${method} ${path}`) ?? true);
    if (!rule) return undefined;
    rule.times -= 1;
    if (rule.times <= 0) this.rules = this.rules.filter((candidate) => candidate !== rule);
    this.hits += 1;
    return rule;
  }
}

/** Rate limiting on demand: the server's limiter is off by default, tests switch it on per request. */
export class RateLimiter extends RequestRules<RateLimitRule> {
  /** How many requests were refused so far. */
  get limited(): number {
    return this.hits;
  }

  /** The `Retry-After` to answer with when this request is limited. */
  check(method: string, path: string): number | undefined {
    return this.take(method, path)?.retryAfterSeconds;
  }
}
