import type { FailureKind } from './types.js';

/** A check that failed for a reason worth telling the user; `message` is that reason in words. */
export class CheckFailure extends Error {
  override name = 'CheckFailure';
  constructor(
    readonly kind: FailureKind,
    message: string,
  ) {
    super(message);
  }
}
