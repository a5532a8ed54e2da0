import { setFlagsFromString } from 'node:v8';

/**
 * Keeps V8's young generation at its initial size while `chatops start` loads its modules and the
 * robot starts. That allocation happens once and much of it survives, which makes V8 double the young
 * generation again and again; after the start it would stay committed, about 6 MB the idle robot
 * never uses. {@link releaseYoungGeneration} gives V8 its default growth back, so a robot under load
 * allocates as it always did.
 */
export function holdYoungGeneration(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}

/** V8's default: the young generation doubles when much of it survives a collection. */
export function releaseYoungGeneration(): void {
  setFlagsFromString('--semi-space-growth-factor=2');
}
