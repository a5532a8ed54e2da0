import { randomBytes } from 'node:crypto';

const ID_BYTES = 6;
const POOL_BYTES = ID_BYTES * 1024;
let pool = Buffer.alloc(0);
let offset = 0;

/**
 * A random 8-character id for one request (48 bits, base64url). Drawn from a pool refilled 1,024 ids
 * at a time: one `randomBytes` call per message was a visible share of the dispatch cost.
 */
export function newCorrelationId(): string {
  if (offset + ID_BYTES > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  const id = pool.toString('base64url', offset, offset + ID_BYTES);
  offset += ID_BYTES;
  return id;
}
