import type { OutcomeStatus } from '../pipeline/outcome.js';

/**
 * Exit codes of the CLI: 0 success, 1 failure or denial, 2 usage or configuration error, 3 the
 * command waits for approval (`chatops run`: it has not run yet).
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, pending: 3 } as const;

/** The exit code for how a command ended. */
export function exitCodeFor(status: OutcomeStatus): number {
  if (status === 'ok') return EXIT.ok;
  if (status === 'pending') return EXIT.pending;
  if (status === 'usage') return EXIT.usage;
  return EXIT.failed;
}
