import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { REDIS_SCRIPTS, type RedisScriptCommands } from './redis-scripts.js';
import { type Store, type StoreSetOptions, StoreUnavailableError } from './store.js';
import { decodeValue, encodeValue, ttlOf } from './store-value.js';
import { fullAfterMs, type RateLimit, type TokenDecision } from './token-bucket.js';

/** Options of {@link RedisStore.open}. */
export interface RedisStoreOptions {
  /** `redis://[user:password@]host:port/db` (or `rediss://` for TLS). */
  url: string;
  /** Prepended to every key, so several robots can share one Redis. Default `chatops:`. */
  prefix?: string;
  /** How long a command may wait for Redis before it fails (the store is then unavailable). */
  commandTimeoutMs?: number;
  /** Told when the connection is lost and back. */
  log?: Logger;
}

type ScriptedRedis = Redis & RedisScriptCommands;

/**
 * A {@link Store} in Redis, shared by every replica: SET NX PX for set-if-absent, Lua scripts for
 * compare-and-set and delete-if-equals, Redis TTLs for expiry. Commands never wait in an offline
 * queue: while Redis is unreachable each call fails at once with {@link StoreUnavailableError}
 * (callers fail closed), and the client reconnects by itself.
 */
export class RedisStore implements Store {
  readonly prefix: string;
  private closed = false;

  private constructor(
    /** The connection for store commands (scripts defined). */
    readonly redis: ScriptedRedis,
    prefix: string,
    private readonly url: string,
  ) {
    this.prefix = prefix;
  }

  /**
   * Connects to Redis and defines the scripts.
   *
   * @throws Error naming the URL (without its password) when Redis cannot be reached.
   */
  static async open(options: RedisStoreOptions): Promise<RedisStore> {
    const shown = redactUrl(options.url);
    // Imported here: a robot on SQLite or memory never loads the Redis client.
    const { Redis } = await import('ioredis');
    const redis = new Redis(options.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? 2000,
      connectTimeout: 5000,
      retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
      scripts: REDIS_SCRIPTS,
    }) as ScriptedRedis;
    watchConnection(redis, shown, options.log);
    try {
      await redis.connect();
    } catch (error) {
      redis.disconnect();
      throw new Error(`redis store ${shown}: ${(error as Error).message}`, { cause: error });
    }
    return new RedisStore(redis, options.prefix ?? 'chatops:', options.url);
  }

  /** A second connection to the same Redis, for blocking reads that would hold up store commands. */
  duplicate(): Redis {
    return this.redis.duplicate({ scripts: REDIS_SCRIPTS });
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    const text = await this.call(() => this.redis.get(this.prefix + key));
    return text === null ? undefined : decodeValue<T>(text);
  }

  async set(key: string, value: unknown, options?: StoreSetOptions): Promise<void> {
    const text = encodeValue(key, value);
    const ttl = ttlOf(key, options);
    await this.call(() =>
      ttl === undefined
        ? this.redis.set(this.prefix + key, text)
        : this.redis.set(this.prefix + key, text, 'PX', ttl),
    );
  }

  async setIfAbsent(key: string, value: unknown, options?: StoreSetOptions): Promise<boolean> {
    const text = encodeValue(key, value);
    const ttl = ttlOf(key, options);
    const reply = await this.call(() =>
      ttl === undefined
        ? this.redis.set(this.prefix + key, text, 'NX')
        : this.redis.set(this.prefix + key, text, 'PX', ttl, 'NX'),
    );
    return reply === 'OK';
  }

  async compareAndSet(
    key: string,
    expected: unknown,
    value: unknown,
    options?: StoreSetOptions,
  ): Promise<boolean> {
    const args = [
      encodeValue(key, expected),
      encodeValue(key, value),
      String(ttlOf(key, options) ?? ''),
    ] as const;
    return (await this.call(() => this.redis.compareAndSet(this.prefix + key, ...args))) === 1;
  }

  async delete(key: string): Promise<void> {
    await this.call(() => this.redis.del(this.prefix + key));
  }

  async deleteIfEquals(key: string, expected: unknown): Promise<boolean> {
    const text = encodeValue(key, expected);
    return (await this.call(() => this.redis.deleteIfEquals(this.prefix + key, text))) === 1;
  }

  async takeToken(key: string, limit: RateLimit): Promise<TokenDecision> {
    const args = [limit.burst, limit.perMinute, Date.now(), fullAfterMs(limit)].map(String) as [
      string,
      string,
      string,
      string,
    ];
    const [allowed, tokens] = await this.call(() => this.redis.takeToken(this.prefix + key, ...args));
    return { allowed: allowed === 1, tokens: Number(tokens) };
  }

  /** SCAN over the prefix (it walks the whole key space, so callers keep prefixes narrow). */
  async keys(prefix: string): Promise<string[]> {
    const pattern = `${escapeGlob(this.prefix + prefix)}*`;
    const found = new Set<string>();
    await this.call(async () => {
      let cursor = '0';
      do {
        const [next, keys] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        for (const key of keys) found.add(key.slice(this.prefix.length));
        cursor = next;
      } while (cursor !== '0');
    });
    return [...found].sort();
  }

  isAvailable(): boolean {
    return !this.closed && this.redis.status === 'ready';
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  /** Runs Redis commands; any failure to reach Redis becomes {@link StoreUnavailableError}. */
  async call<T>(run: () => Promise<T>): Promise<T> {
    if (this.closed) throw new Error(`redis store ${redactUrl(this.url)} is closed`);
    try {
      return await run();
    } catch (error) {
      throw new StoreUnavailableError(error);
    }
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'redis://(invalid URL)';
  }
}

/** Logs losing and regaining the connection once each, not on every reconnect attempt. */
function watchConnection(redis: Redis, url: string, log: Logger | undefined): void {
  let lost = false;
  redis.on('error', (error: Error) => {
    if (lost) return;
    lost = true;
    log?.warn({ url, err: { message: error.message } }, 'state store unavailable; reconnecting');
  });
  redis.on('close', () => {
    if (lost) return;
    lost = true;
    log?.warn({ url }, 'state store connection closed; reconnecting');
  });
  redis.on('ready', () => {
    if (!lost) return;
    lost = false;
    log?.info({ url }, 'state store reconnected');
  });
}
