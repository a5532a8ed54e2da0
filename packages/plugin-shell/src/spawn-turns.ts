import { setImmediate as nextTurn } from 'node:timers/promises';

let lastTurn: Promise<void> = Promise.resolve();

/**
 * Resolves on its own event-loop turn, one turn after the previous caller's. Spawning a child blocks
 * the loop for a few milliseconds; when many runs start at once, this spreads the spawns out so other
 * work (acks, replies) runs between them instead of waiting behind all of them.
 */
export function spawnTurn(): Promise<void> {
  const turn = lastTurn.then(() => nextTurn());
  lastTurn = turn;
  return turn;
}
