import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack signs requests with a timestamp; older (or future) ones are refused to stop replays. */
export const SIGNATURE_WINDOW_SECONDS = 5 * 60;

/** Why a request's signature was refused. */
export type SignatureRejection = 'missing_headers' | 'bad_timestamp' | 'stale_timestamp' | 'bad_signature';

/** Result of {@link verifySlackSignature}. */
export type SignatureCheck = { ok: true } | { ok: false; reason: SignatureRejection };

/** The v0 signature of a request body: `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>`. */
export function computeSlackSignature(
  signingSecret: string,
  timestamp: string,
  rawBody: Buffer | string,
): string {
  const hmac = createHmac('sha256', signingSecret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(rawBody);
  return `v0=${hmac.digest('hex')}`;
}

/**
 * Verifies `X-Slack-Signature` over the raw body as received, within 5 minutes of
 * `X-Slack-Request-Timestamp`, comparing in constant time.
 */
export function verifySlackSignature(input: {
  signingSecret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer | string;
  nowSeconds?: number;
}): SignatureCheck {
  const { timestamp, signature } = input;
  if (!timestamp || !signature) return { ok: false, reason: 'missing_headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad_timestamp' };
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(timestamp)) > SIGNATURE_WINDOW_SECONDS)
    return { ok: false, reason: 'stale_timestamp' };
  const expected = Buffer.from(computeSlackSignature(input.signingSecret, timestamp, input.rawBody));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'bad_signature' };
  return { ok: true };
}
