import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../src/store/memory-store.js';
import { describeStoreContract } from './store-contract.js';

describeStoreContract('MemoryStore', async (clock) => new MemoryStore({ now: clock.now }));

describe('MemoryStore', () => {
  it('keeps separate state per instance', async () => {
    const first = new MemoryStore();
    const second = new MemoryStore();
    await first.set('k', 1);
    expect(await second.get('k')).toBeUndefined();
  });
});
