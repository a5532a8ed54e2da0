import { randomBytes } from 'node:crypto';
import type { Store } from '../store/store.js';

const PREFIX = 'chatops:lease:';

/**
 * Named leases in the store, held by one process at a time across every replica sharing the store:
 * taken with set-if-absent, renewed with a compare-and-set that succeeds only while the lease is
 * still ours, and lapsing by themselves when the holder stops renewing (it died or lost the store).
 */
export class Leases {
  /** This process: the instance name plus a per-process suffix, so two processes never share a lease. */
  readonly holder: string;

  constructor(
    private readonly store: Store,
    instance: string,
  ) {
    this.holder = `${instance}/${process.pid}/${randomBytes(4).toString('hex')}`;
  }

  /** Takes or renews the lease `name` for `ttlMs`; false when another process holds it. */
  async hold(name: string, ttlMs: number): Promise<boolean> {
    const key = PREFIX + name;
    if (await this.store.setIfAbsent(key, this.holder, { ttlMs })) return true;
    return this.store.compareAndSet(key, this.holder, this.holder, { ttlMs });
  }

  /** Gives the lease up when this process holds it. */
  async release(name: string): Promise<void> {
    await this.store.deleteIfEquals(PREFIX + name, this.holder);
  }
}
