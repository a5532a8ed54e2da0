import type { RedisStore } from '@chatops/core/internal';
import type { Delivery, DeliveryOutcome } from '../../src/emulator/index.js';

/** How many entries the robot's event stream has ever taken (handled entries are deleted; this stays). */
export async function entriesAdded(store: RedisStore): Promise<number> {
  const info = (await store.redis.xinfo('STREAM', `${store.prefix}events`)) as unknown[];
  return Number(info[info.indexOf('entries-added') + 1]);
}

/** Makes Redis hold every write for `ms`, so no event can enter the stream sooner. */
export async function holdWrites(store: RedisStore, ms: number): Promise<void> {
  await store.redis.call('CLIENT', 'PAUSE', String(ms), 'WRITE');
}

/**
 * What Redis holds about a delivered event when its ack reaches the emulator (the delivery's outcome
 * settles as the ack arrives): whether its delivery id is claimed (done in the same script that adds
 * the stream entry) and how many entries the stream has taken by then.
 */
export function redisAtAck(
  store: RedisStore,
  delivery: Delivery,
): Promise<{ outcome: DeliveryOutcome; claimed: number; added: number }> {
  return delivery.outcome.then(async (outcome) => {
    const [claimed, added] = await Promise.all([
      store.redis.exists(`${store.prefix}chatops:event:slack:${delivery.eventId}`),
      entriesAdded(store),
    ]);
    return { outcome, claimed, added };
  });
}
