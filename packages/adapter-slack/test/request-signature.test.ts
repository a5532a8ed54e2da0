import { describe, expect, it } from 'vitest';
import { computeSlackSignature, verifySlackSignature } from '../src/index.js';

// Slack's documented example (docs.slack.dev, "Verifying requests from Slack").
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const TIMESTAMP = '1531420618';
const BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const EXPECTED_SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
const NOW_SECONDS = Number(TIMESTAMP) + 10;

describe('Slack request signatures (v0)', () => {
  it('matches the documented test vector', () => {
    expect(computeSlackSignature(SECRET, TIMESTAMP, BODY)).toBe(EXPECTED_SIGNATURE);
    expect(computeSlackSignature(SECRET, TIMESTAMP, Buffer.from(BODY))).toBe(EXPECTED_SIGNATURE);
    expect(
      verifySlackSignature({
        signingSecret: SECRET,
        timestamp: TIMESTAMP,
        signature: EXPECTED_SIGNATURE,
        rawBody: BODY,
        nowSeconds: NOW_SECONDS,
      }),
    ).toEqual({
      ok: true,
    });
  });

  it.each([
    ['missing signature', { signature: undefined }, 'missing_headers'],
    ['missing timestamp', { timestamp: undefined }, 'missing_headers'],
    ['non-numeric timestamp', { timestamp: '15314e5' }, 'bad_timestamp'],
    ['stale timestamp (replay)', { nowSeconds: Number(TIMESTAMP) + 301 }, 'stale_timestamp'],
    ['timestamp from the future', { nowSeconds: Number(TIMESTAMP) - 301 }, 'stale_timestamp'],
    ['tampered body', { rawBody: BODY.replace('roadrunner', 'coyote') }, 'bad_signature'],
    ['wrong secret', { signingSecret: 'another' }, 'bad_signature'],
    ['truncated signature', { signature: EXPECTED_SIGNATURE.slice(0, -1) }, 'bad_signature'],
    ['other version', { signature: EXPECTED_SIGNATURE.replace('v0=', 'v1=') }, 'bad_signature'],
  ] as const)('refuses a %s', (_name, change, reason) => {
    const input = {
      signingSecret: SECRET,
      timestamp: TIMESTAMP,
      signature: EXPECTED_SIGNATURE,
      rawBody: BODY,
      nowSeconds: NOW_SECONDS,
      ...change,
    };
    expect(verifySlackSignature(input)).toEqual({ ok: false, reason });
  });
});
