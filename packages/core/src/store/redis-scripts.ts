/**
 * Lua scripts of the Redis store: each runs atomically inside Redis, so replicas agree on who acts.
 * KEYS and ARGV are documented per script; an empty TTL argument means "no expiry".
 */
export const REDIS_SCRIPTS = {
  /** KEYS[1] key; ARGV expected, value, ttlMs. 1 when replaced. */
  compareAndSet: {
    numberOfKeys: 1,
    lua: `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[3] == '' then redis.call('SET', KEYS[1], ARGV[2]) else redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
return 1`,
  },
  /** KEYS[1] key; ARGV expected. 1 when deleted. */
  deleteIfEquals: {
    numberOfKeys: 1,
    lua: `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])`,
  },
  /**
   * KEYS[1] the delivery key, KEYS[2] the event stream; ARGV delivery TTL (ms), the event (JSON),
   * approximate stream length cap. The event enters the stream only on its first delivery: the
   * entry id, or false for a duplicate.
   */
  enqueueOnce: {
    numberOfKeys: 2,
    lua: `
if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then return false end
return redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'event', ARGV[2])`,
  },
} as const;

/** The scripts as ioredis commands (defined with `defineCommand`, sent with EVALSHA). */
export interface RedisScriptCommands {
  compareAndSet(key: string, expected: string, value: string, ttlMs: string): Promise<number>;
  deleteIfEquals(key: string, expected: string): Promise<number>;
  enqueueOnce(
    deliveryKey: string,
    stream: string,
    ttlMs: string,
    event: string,
    maxLength: string,
  ): Promise<string | null>;
}
