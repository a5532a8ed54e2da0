import { describe, expect, it } from 'vitest';
import { addressPost } from '../src/addressing.js';

describe('addressing', () => {
  it('treats a leading @mention as addressed and strips it', () => {
    expect(addressPost('@opsbot ping uat', 'opsbot', false)).toEqual({ addressed: true, text: 'ping uat' });
    expect(addressPost('  @OpsBot: ping', 'opsbot', false)).toEqual({ addressed: true, text: 'ping' });
  });

  it('does not take a longer username or a mention later in the text', () => {
    expect(addressPost('@opsbot-dev ping', 'opsbot', false)).toEqual({
      addressed: false,
      text: '@opsbot-dev ping',
    });
    expect(addressPost('ask @opsbot later', 'opsbot', false)).toEqual({
      addressed: false,
      text: 'ask @opsbot later',
    });
  });

  it('treats every DM as addressed', () => {
    expect(addressPost('ping uat', 'opsbot', true)).toEqual({ addressed: true, text: 'ping uat' });
  });

  it('leaves plain channel posts unaddressed for the robot to check its name and prefix', () => {
    expect(addressPost('opsbot ping', 'opsbot', false)).toEqual({ addressed: false, text: 'opsbot ping' });
  });
});
