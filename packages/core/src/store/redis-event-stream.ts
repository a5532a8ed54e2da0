import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Incoming } from '../chat/incoming.js';
import type { RedisStore } from './redis-store.js';

/** Options of {@link RedisEventStream}. */
export interface RedisEventStreamOptions {
  /** This process, as a consumer of the group (unique per process). */
  consumer: string;
  /**
   * How long an entry may sit unanswered with a silent consumer before another replica claims it.
   * A live consumer renews its entries every third of this while it handles them.
   */
  leaseMs: number;
  /** How long a delivery id is remembered, so a redelivery does not enter the stream again. */
  deliveryTtlMs: number;
  log: Logger;
  /** Handles one event; resolves when it is answered. Must not throw. */
  handle: (incoming: Incoming) => Promise<unknown>;
  /** Counts the work as in flight (shutdown waits for it). */
  track: <T>(work: Promise<T>) => Promise<T>;
}

const GROUP = 'replicas';
const BATCH = 32;
const MAX_LENGTH = 100_000;
const RETRY_MS = 250;

/**
 * Chat events shared by the replicas through a Redis stream with one consumer group. An event enters
 * the stream once (delivery id claimed and entry added in one script), whichever replica received
 * it and however often; one replica reads it, handles it and acknowledges it. Entries a replica read
 * but never acknowledged (it was killed) are claimed by another with XAUTOCLAIM once their lease
 * lapses. Acknowledgements that fail while Redis is away are retried until they go through.
 */
export class RedisEventStream {
  private readonly key: string;
  private reader: Redis | undefined;
  private running = false;
  private readLoop: Promise<void> | undefined;
  private claimTimer: NodeJS.Timeout | undefined;
  /** Entry ids being handled here: renewed while they run. */
  private readonly handling = new Set<string>();
  /** Entry ids handled here whose acknowledgement has not reached Redis yet (renewed too). */
  private readonly unacked = new Set<string>();

  constructor(
    private readonly store: RedisStore,
    private readonly options: RedisEventStreamOptions,
  ) {
    this.key = `${store.prefix}events`;
  }

  /** Adds the event to the stream unless its delivery id was seen: true when added. */
  async enqueue(incoming: Incoming & { eventId: string }): Promise<boolean> {
    const deliveryKey = `${this.store.prefix}chatops:event:${incoming.platform}:${incoming.eventId}`;
    const event = JSON.stringify(incoming);
    const id = await this.store.call(() =>
      this.store.redis.enqueueOnce(
        deliveryKey,
        this.key,
        String(this.options.deliveryTtlMs),
        event,
        String(MAX_LENGTH),
      ),
    );
    return id !== null;
  }

  /**
   * Creates the group when missing and starts reading and claiming. Entries may be added before:
   * a group created here reads the stream from its beginning, so none added earlier is missed.
   */
  async start(): Promise<void> {
    await this.store.call(async () => {
      try {
        await this.store.redis.xgroup('CREATE', this.key, GROUP, '0', 'MKSTREAM');
      } catch (error) {
        if (!String((error as Error).message).includes('BUSYGROUP')) throw error;
      }
    });
    this.reader = this.store.duplicate();
    this.reader.on('error', () => {}); // the store's own connection logs outages
    await this.reader.connect();
    this.running = true;
    this.readLoop = this.read();
    this.claimTimer = setInterval(
      () => void this.maintain(),
      Math.max(50, Math.floor(this.options.leaseMs / 3)),
    );
    this.claimTimer.unref();
  }

  /** Stops reading and claiming; entries being handled finish (the robot waits for them). */
  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.claimTimer);
    this.reader?.disconnect();
    await this.readLoop;
  }

  /** Acknowledges what is left after the handlers finished (before the store closes). */
  async flush(): Promise<void> {
    await this.ackPending();
  }

  private async read(): Promise<void> {
    while (this.running) {
      try {
        const reply = (await this.reader!.xreadgroup(
          'GROUP',
          GROUP,
          this.options.consumer,
          'COUNT',
          BATCH,
          'BLOCK',
          1000,
          'STREAMS',
          this.key,
          '>',
        )) as [string, [string, string[]][]][] | null;
        for (const [, entries] of reply ?? []) for (const entry of entries) this.handleEntry(entry);
      } catch (error) {
        if (!this.running) return;
        this.options.log.debug({ err: error }, 'event stream read failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  }

  /** Renews the entries being handled, retries acknowledgements, and claims abandoned entries. */
  private async maintain(): Promise<void> {
    if (!this.running) return;
    try {
      await this.ackPending();
      const mine = [...this.handling, ...this.unacked];
      if (mine.length > 0) {
        await this.store.redis.xclaim(this.key, GROUP, this.options.consumer, 0, ...mine, 'JUSTID');
      }
      const [, entries] = (await this.store.redis.xautoclaim(
        this.key,
        GROUP,
        this.options.consumer,
        this.options.leaseMs,
        '0-0',
        'COUNT',
        BATCH,
      )) as [string, [string, string[] | null][]];
      for (const entry of entries) {
        if (!entry[1] || this.handling.has(entry[0]) || this.unacked.has(entry[0])) continue;
        this.options.log.info({ entry: entry[0] }, 'claimed an event another replica left unanswered');
        this.handleEntry(entry as [string, string[]]);
      }
    } catch (error) {
      this.options.log.debug({ err: error }, 'event stream maintenance failed; retrying');
    }
  }

  private handleEntry([id, fields]: [string, string[]]): void {
    if (this.handling.has(id)) return;
    const text = fields[fields.indexOf('event') + 1];
    this.handling.add(id);
    void this.options.track(
      (async () => {
        try {
          if (text) await this.options.handle(JSON.parse(text) as Incoming);
        } catch (error) {
          this.options.log.error({ err: error, entry: id }, 'event from the stream failed');
        } finally {
          this.handling.delete(id);
          this.unacked.add(id);
          await this.ackPending().catch(() => undefined);
        }
      })(),
    );
  }

  private async ackPending(): Promise<void> {
    if (this.unacked.size === 0) return;
    const ids = [...this.unacked];
    await this.store.redis
      .multi()
      .xack(this.key, GROUP, ...ids)
      .xdel(this.key, ...ids)
      .exec();
    for (const id of ids) this.unacked.delete(id);
  }
}
