import { describe, expect, it } from 'vitest';
import { retryDelay } from '../src/rest-client.js';

describe('429 retry delay', () => {
  it('honours Retry-After in seconds, then X-RateLimit-Reset, capped', () => {
    const within = (value: number, low: number) => value >= low && value < low + 250;
    expect(within(retryDelay(new Headers({ 'Retry-After': '2' }), 0, 60_000), 2000)).toBe(true);
    expect(within(retryDelay(new Headers({ 'X-RateLimit-Reset': '3' }), 0, 60_000), 3000)).toBe(true);
    expect(within(retryDelay(new Headers(), 2, 60_000), 4000)).toBe(true);
    expect(retryDelay(new Headers({ 'Retry-After': '3600' }), 0, 10_000)).toBe(10_000);
  });
});
