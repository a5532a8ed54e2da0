import type { OutcomeStatus } from '../outcome.js';

/** Exit codes of the CLI: 0 success, 1 failure or denial, 2 usage or configuration error. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** The exit code for how a command ended. */
export function exitCodeFor(status: OutcomeStatus): number {
  if (status === 'ok' || status === 'pending') return EXIT.ok;
  if (status === 'usage') return EXIT.usage;
  return EXIT.failed;
}
