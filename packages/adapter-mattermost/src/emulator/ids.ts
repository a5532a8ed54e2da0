import { randomBytes } from 'node:crypto';

const ALPHABET = 'ybndrfg8ejkmcpqxot1uwisza345h769';

/** A Mattermost-style id: 26 lowercase characters of z-base-32 over 16 random bytes. */
export function newId(): string {
  const bytes = randomBytes(17);
  let bits = 0;
  let value = 0;
  let id = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && id.length < 26) {
      id += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return id;
}

/** `model.IsValidId`: 26 alphanumeric characters. */
export function isValidId(id: string): boolean {
  return /^[a-z0-9]{26}$/.test(id);
}
