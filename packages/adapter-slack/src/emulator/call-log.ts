/** One request the emulator answered (Web API method, upload, or response_url). */
export interface RecordedCall {
  /** Web API method (`chat.postMessage`), `response_url`, or `file.upload`. */
  method: string;
  /** Request arguments; JSON-encoded fields (`blocks`, `files`, …) are decoded. */
  args: Record<string, unknown>;
  /** The bearer token the request carried, if any. */
  token?: string;
  contentType: string;
  /** HTTP status the emulator answered with. */
  status: number;
  /** The JSON the emulator answered with. */
  response: Record<string, unknown>;
  /** For response_url calls: the URL that was used. */
  url?: string;
  at: number;
}

type Waiter = { check: () => boolean; resolve: () => void };

/** Records calls and lets tests wait for conditions on them without sleeping. */
export class CallLog {
  readonly calls: RecordedCall[] = [];
  private readonly byMethod = new Map<string, RecordedCall[]>();
  private waiters: Waiter[] = [];

  record(call: RecordedCall): void {
    this.calls.push(call);
    let calls = this.byMethod.get(call.method);
    if (!calls) {
      calls = [];
      this.byMethod.set(call.method, calls);
    }
    calls.push(call);
    this.notify();
  }

  /** Calls of one method, in order (a copy). */
  of(method: string): RecordedCall[] {
    return [...(this.byMethod.get(method) ?? [])];
  }

  /** Re-checks pending waits (call after any state change tests may wait on). */
  notify(): void {
    if (this.waiters.length === 0) return;
    this.waiters = this.waiters.filter((waiter) => {
      if (!waiter.check()) return true;
      waiter.resolve();
      return false;
    });
  }

  /** Resolves once `check()` holds; rejects with `description` after `timeoutMs`. */
  until(check: () => boolean, description: string, timeoutMs = 5000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter !== entry);
        reject(new Error(`Slack emulator: timed out after ${timeoutMs}ms waiting for ${description}`));
      }, timeoutMs);
      const entry: Waiter = {
        check,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.waiters.push(entry);
    });
  }

  /** Waits for the `count`-th call of `method` that matches `predicate`; returns the matching calls. */
  async waitFor(
    method: string,
    options: { count?: number; match?: (call: RecordedCall) => boolean; timeoutMs?: number } = {},
  ): Promise<RecordedCall[]> {
    const count = options.count ?? 1;
    // Scans only calls recorded since the last check, so waiting for thousands of calls stays linear.
    const matched: RecordedCall[] = [];
    let scanned = 0;
    const check = () => {
      const calls = this.byMethod.get(method) ?? [];
      for (; scanned < calls.length; scanned += 1) {
        const call = calls[scanned]!;
        if (options.match?.(call) ?? true) matched.push(call);
      }
      return matched.length >= count;
    };
    await this.until(check, `${count} × ${method}`, options.timeoutMs);
    return matched;
  }
}
