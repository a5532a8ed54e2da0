import { describe, expect, it } from 'vitest';
import { spawnTurn } from '../src/spawn-turns.js';

describe('spawnTurn', () => {
  it('gives each caller its own event-loop turn, with timers running in between', async () => {
    const events: string[] = [];
    const timer = setInterval(() => events.push('timer'), 0);
    await Promise.all(
      Array.from({ length: 5 }, async (_, index) => {
        await spawnTurn();
        events.push(`turn ${index}`);
        const started = performance.now();
        while (performance.now() - started < 2); // a spawn's worth of blocking
      }),
    );
    clearInterval(timer);
    const turns = events.filter((event) => event.startsWith('turn'));
    expect(turns).toEqual(['turn 0', 'turn 1', 'turn 2', 'turn 3', 'turn 4']);
    for (let index = 1; index < turns.length; index++) {
      const between = events.slice(events.indexOf(`turn ${index - 1}`) + 1, events.indexOf(`turn ${index}`));
      expect(between).toContain('timer');
    }
  });
});
