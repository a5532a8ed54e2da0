import { createHash } from 'node:crypto';

/** `prev` of the very first line of a log. */
export const GENESIS_HASH = '0'.repeat(64);

/** SHA-256 (hex) of one line's bytes, without its trailing newline. */
export function hashLine(line: string | Uint8Array): string {
  return createHash('sha256').update(line).digest('hex');
}
