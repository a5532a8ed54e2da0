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
  /**
   * KEYS[1] the bucket; ARGV burst, perMinute, now (ms), TTL (ms). The token bucket of
   * token-bucket.ts, in one step: {1 or 0, tokens left as text}.
   */
  takeToken: {
    numberOfKeys: 1,
    lua: `
local burst, perMinute, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local tokens, updated = burst, now
local stored = redis.call('GET', KEYS[1])
if stored then
  local bucket = cjson.decode(stored)
  tokens, updated = bucket.tokens, bucket.updated
end
tokens = math.min(burst, math.floor((tokens + ((now - updated) / 60000) * perMinute) * 1e6 + 0.5) / 1e6)
if tokens < 1 then return {0, tostring(tokens)} end
tokens = tokens - 1
redis.call('SET', KEYS[1], cjson.encode({tokens = tokens, updated = now}), 'PX', ARGV[4])
return {1, tostring(tokens)}`,
  },
} as const;

/** The scripts as ioredis commands (defined with `defineCommand`, sent with EVALSHA). */
export interface RedisScriptCommands {
  compareAndSet(key: string, expected: string, value: string, ttlMs: string): Promise<number>;
  deleteIfEquals(key: string, expected: string): Promise<number>;
  takeToken(
    key: string,
    burst: string,
    perMinute: string,
    now: string,
    ttlMs: string,
  ): Promise<[number, string]>;
  enqueueOnce(
    deliveryKey: string,
    stream: string,
    ttlMs: string,
    event: string,
    maxLength: string,
  ): Promise<string | null>;
}
