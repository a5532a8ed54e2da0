import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a button token carries. */
export interface ActionTokenPayload {
  /** Registered action id. */
  action: string;
  args: Record<string, unknown>;
  /** Conversation the card was posted in; a click from elsewhere is refused. */
  conversation: string;
  /** Expiry, epoch milliseconds. */
  expires: number;
  /** Random, for single use. */
  nonce: string;
}

/** Why a token was refused. */
export type TokenRejection = 'malformed' | 'bad-signature' | 'expired' | 'wrong-conversation';

export type TokenCheck = { ok: true; payload: ActionTokenPayload } | { ok: false; reason: TokenRejection };

const VERSION = 'v1';

/**
 * Signs and verifies button tokens: `v1.<base64url JSON>.<base64url HMAC-SHA256>`. The signature
 * covers the version and payload, so a token cannot be altered or forged without the secret.
 */
export class ActionTokens {
  constructor(
    private readonly secret: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** A fresh nonce. */
  static nonce(): string {
    return randomBytes(12).toString('base64url');
  }

  sign(payload: ActionTokenPayload): string {
    const body = Buffer.from(
      JSON.stringify({
        a: payload.action,
        g: payload.args,
        c: payload.conversation,
        e: payload.expires,
        n: payload.nonce,
      }),
    ).toString('base64url');
    return `${VERSION}.${body}.${this.mac(body)}`;
  }

  /** Checks format, signature and expiry; with `conversation`, also that the click came from there. */
  verify(token: string, conversation?: string): TokenCheck {
    const parts = typeof token === 'string' ? token.split('.') : [];
    if (parts.length !== 3 || parts[0] !== VERSION || !parts[1] || !parts[2])
      return { ok: false, reason: 'malformed' };
    const expected = Buffer.from(this.mac(parts[1]), 'base64url');
    const given = Buffer.from(parts[2], 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { ok: false, reason: 'bad-signature' };
    }
    let raw: { a?: unknown; g?: unknown; c?: unknown; e?: unknown; n?: unknown };
    try {
      raw = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (
      typeof raw.a !== 'string' ||
      typeof raw.c !== 'string' ||
      typeof raw.e !== 'number' ||
      typeof raw.n !== 'string' ||
      typeof raw.g !== 'object' ||
      raw.g === null
    ) {
      return { ok: false, reason: 'malformed' };
    }
    if (raw.e <= this.now()) return { ok: false, reason: 'expired' };
    if (conversation !== undefined && conversation !== raw.c)
      return { ok: false, reason: 'wrong-conversation' };
    return {
      ok: true,
      payload: {
        action: raw.a,
        args: raw.g as Record<string, unknown>,
        conversation: raw.c,
        expires: raw.e,
        nonce: raw.n,
      },
    };
  }

  private mac(body: string): string {
    return createHmac('sha256', this.secret).update(`${VERSION}.${body}`).digest('base64url');
  }
}

/** A sentence for a refused token. */
export function describeRejection(reason: TokenRejection | 'replayed' | 'unknown-action'): string {
  switch (reason) {
    case 'expired':
      return 'This button has expired. Run the command again for a fresh one.';
    case 'replayed':
      return 'This button was already used.';
    case 'wrong-conversation':
      return 'This button belongs to another conversation.';
    case 'unknown-action':
      return 'This button is for an action the bot no longer has.';
    default:
      return 'This button is not valid (its signature does not match).';
  }
}
