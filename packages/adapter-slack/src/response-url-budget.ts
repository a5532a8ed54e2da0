/** Slack accepts 5 posts per response_url, within 30 minutes of the command or click. */
const MAX_USES = 5;
const LIFETIME_MS = 30 * 60 * 1000;

/** Counts uses of each response_url so the adapter falls back to the Web API before Slack refuses. */
export class ResponseUrlBudget {
  private readonly uses = new Map<string, { count: number; expires: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Takes one use of `url`; false when it is used up or expired. */
  take(url: string): boolean {
    const now = this.now();
    let entry = this.uses.get(url);
    if (!entry) {
      if (this.uses.size > 10_000) this.evict(now);
      entry = { count: 0, expires: now + LIFETIME_MS };
      this.uses.set(url, entry);
    }
    if (entry.count >= MAX_USES || entry.expires <= now) return false;
    entry.count += 1;
    return true;
  }

  private evict(now: number): void {
    for (const [url, entry] of this.uses) if (entry.expires <= now) this.uses.delete(url);
  }
}
