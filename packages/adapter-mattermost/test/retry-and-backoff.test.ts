import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../src/backoff.js';
import { retryDelay } from '../src/rest-client.js';

describe('backoff', () => {
  it('doubles up to the cap with half of each delay random', () => {
    expect(backoffDelay(0, 1000, 30_000, () => 0)).toBe(500);
    expect(backoffDelay(0, 1000, 30_000, () => 1)).toBe(1000);
    expect(backoffDelay(3, 1000, 30_000, () => 1)).toBe(8000);
    expect(backoffDelay(20, 1000, 30_000, () => 1)).toBe(30_000);
    expect(backoffDelay(20, 1000, 30_000, () => 0)).toBe(15_000);
  });
});

describe('429 retry delay', () => {
  it('honours Retry-After in seconds, then X-RateLimit-Reset, capped', () => {
    const within = (value: number, low: number) => value >= low && value < low + 250;
    expect(within(retryDelay(new Headers({ 'Retry-After': '2' }), 0, 60_000), 2000)).toBe(true);
    expect(within(retryDelay(new Headers({ 'X-RateLimit-Reset': '3' }), 0, 60_000), 3000)).toBe(true);
    expect(within(retryDelay(new Headers(), 2, 60_000), 4000)).toBe(true);
    expect(retryDelay(new Headers({ 'Retry-After': '3600' }), 0, 10_000)).toBe(10_000);
  });
});
