import mattermostClient from '@mattermost/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRestClient, MattermostApiError, type RestClient } from '../src/rest-client.js';
import { startWorld, type World } from './support/robot.js';

const { Client4 } = mattermostClient;

/** Every function Client4 keeps on the instance (its request helpers are instance fields). */
function ownFunctions(client: object): Map<string, unknown> {
  return new Map(
    Object.entries(Object.getOwnPropertyDescriptors(client))
      .filter(([, descriptor]) => typeof descriptor.value === 'function')
      .map(([name, descriptor]) => [name, descriptor.value]),
  );
}

describe('the REST client against the emulator', () => {
  let world: World;
  let rest: RestClient | undefined;
  const waits: number[] = [];

  beforeEach(async () => {
    world = await startWorld();
    waits.length = 0;
  });
  afterEach(async () => {
    rest?.close();
    await world.mm.close();
  });

  const policy = (retries: number) => ({
    retries,
    maxWaitMs: 5000,
    signal: new AbortController().signal,
    onRateLimited: (waitMs: number) => void waits.push(waitMs),
  });

  it('retries around the public calls, leaving every function of Client4 as it was', async () => {
    const client = new Client4();
    const before = ownFunctions(client);
    rest = createRestClient(world.mm.url, world.bot.token, policy(2), client);
    expect(client.getToken()).toBe(world.bot.token);
    const after = ownFunctions(client);
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [name, fn] of before) expect(after.get(name), name).toBe(fn);

    world.mm.rateLimit({ times: 1, retryAfterSeconds: 1, match: /^GET \/api\/v4\/users\/me$/ });
    const me = (await rest.getMe()) as { id: string };
    expect(me.id).toBe(world.bot.id);
    // Retry-After: 1 was honoured (plus at most 250 ms of jitter).
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(1000);
    expect(waits[0]).toBeLessThan(1250);
  });

  it('gives up after the configured retries with the 429 status, and keeps AppError statuses', async () => {
    rest = createRestClient(world.mm.url, world.bot.token, policy(0));
    world.mm.rateLimit({ times: 1, retryAfterSeconds: 1, match: /^GET \/api\/v4\/users\/me$/ });
    await expect(rest.getMe()).rejects.toMatchObject({ status: 429, url: '/api/v4/users/me' });
    const missing = await rest.getChannel('x'.repeat(26)).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(MattermostApiError);
    expect((missing as MattermostApiError).status).toBe(404);
    expect(waits).toHaveLength(0);
  });
});
