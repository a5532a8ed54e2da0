/** Why a run was stopped before it ended by itself (the abort reason of its signal). */
export type StopReason =
  | { kind: 'cancelled'; by: string }
  | { kind: 'shutdown' }
  /** The robot aborted the request (its handler timeout or its own shutdown). */
  | { kind: 'interrupted'; why: string };

/** The reason in words: `cancelled by alice`, `the bot is shutting down`. */
export function describeStop(reason: unknown): string {
  if (typeof reason !== 'object' || reason === null || !('kind' in reason)) return 'stopped';
  const stop = reason as StopReason;
  switch (stop.kind) {
    case 'cancelled':
      return `cancelled by ${stop.by}`;
    case 'shutdown':
      return 'terminated: the bot is shutting down';
    case 'interrupted':
      return `stopped: ${stop.why}`;
  }
}
