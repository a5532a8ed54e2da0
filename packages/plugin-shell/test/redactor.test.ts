import { redactText } from '@chatops/core';
import { describe, expect, it } from 'vitest';
import { Redactor, secretValuesOf } from '../src/redactor.js';

const redactor = new Redactor([/tkt-[0-9a-f]{16}/], redactText);

describe('Redactor', () => {
  it('redacts AWS access key ids and secret-key-like strings', () => {
    expect(redactor.redact('id AKIAIOSFODNN7EXAMPLE and ASIAY34FZKBOKMUTVV7A')).toBe(
      'id [redacted] and [redacted]',
    );
    expect(redactor.redact('key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY.')).toBe('key: [redacted].');
  });

  it('leaves hashes and ordinary words alone', () => {
    const text = 'commit 3f786850e387550fdab836ed7e6dc881de23001b, bucket my-public-assets';
    expect(redactor.redact(text)).toBe(text);
  });

  it('applies the configured patterns and the robot’s shared rules', () => {
    expect(redactor.redact('ticket tkt-0123456789abcdef')).toBe('ticket [redacted]');
    expect(redactor.redact('password=hunter2')).toBe('password=[redacted]');
    expect(redactor.redact('token xoxb-1234567890-abcdefghij')).toBe('token [redacted]');
  });

  it('redacts the literal values of secrets the script was given', () => {
    const secrets = secretValuesOf({ DB_PASSWORD: 'correct horse', PATH: '/usr/bin', API_TOKEN: 'abc123' });
    expect(secrets).toEqual(['correct horse', 'abc123']);
    expect(redactor.redact('connected with correct horse as abc123 via /usr/bin', secrets)).toBe(
      'connected with [redacted] as [redacted] via /usr/bin',
    );
  });
});
