import { randomBytes } from 'node:crypto';
import type { PluginStore } from '@chatops/core';

/**
 * Scan results kept in the robot's store so buttons carry only a short id (chat platforms cap button
 * payloads) and can update the message they sit on. Updates of one record are serialized in this process.
 */
export class ScanStore<T> {
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: PluginStore,
    private readonly prefix: string,
    private readonly ttlMs: number,
  ) {}

  async save(record: T): Promise<string> {
    const id = randomBytes(9).toString('base64url');
    await this.store.set(this.key(id), record, { ttlMs: this.ttlMs });
    return id;
  }

  load(id: string): Promise<T | undefined> {
    return this.store.get<T>(this.key(id));
  }

  /** Applies `change` to the stored record (if still there) and saves it; returns the new record. */
  update(id: string, change: (record: T) => void): Promise<T | undefined> {
    const previous = this.locks.get(id) ?? Promise.resolve();
    const next = previous.then(async () => {
      const record = await this.load(id);
      if (record === undefined) return undefined;
      change(record);
      await this.store.set(this.key(id), record, { ttlMs: this.ttlMs });
      return record;
    });
    const settled = next.catch(() => undefined);
    this.locks.set(id, settled);
    void settled.then(() => {
      if (this.locks.get(id) === settled) this.locks.delete(id);
    });
    return next;
  }

  private key(id: string): string {
    return `${this.prefix}${id}`;
  }
}
