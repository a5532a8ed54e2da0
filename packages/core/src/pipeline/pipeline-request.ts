import type { RegisteredCommand } from '../router/registered.js';
import type { ApprovalRequirement } from '../security/policy.js';
import type { RequestOutcome } from './outcome.js';

/** An addressed line that runs no handler: nothing matched it, or its arguments did not parse. */
export type Unroutable =
  | { type: 'greeting' }
  | { type: 'unknown'; word: string }
  | { type: 'usage'; command: RegisteredCommand; error: string };

/**
 * The button click a request came from: its nonce, and whether a write of this click (the action itself
 * or a command it runs through `ctx.execute`) has used it up.
 */
export interface ButtonClick {
  nonce: string;
  tokenExpires: number;
  buttonUse: { consumed: boolean };
}

/** Who approved the request being run (a replay of an approved request). */
export interface ApprovedBy {
  key: string;
  name: string;
}

/**
 * What the pipeline's built-in steps know and decide about one request. Only the robot's steps see
 * it; plugins get the frozen {@link Context} (and its `state`, which is theirs).
 */
export interface PipelineRequest {
  /** How the request ended, filled in by the steps and the handler run. */
  readonly outcome: RequestOutcome;
  /** The click it came from, for a button or a command a button ran through `ctx.execute`. */
  readonly button?: ButtonClick;
  /** A click that is only checked (before a confirmation dialog): nothing runs. */
  readonly checkOnly: boolean;
  /** Run by another request's `ctx.execute` (not rate limited again). */
  readonly nested: boolean;
  /** A replay of an approved request: not rate limited, not asked for approval again. */
  readonly approvedBy?: ApprovedBy;
  /** An addressed line that runs no handler (answered by the `unroutable` step). */
  readonly unroutable?: Unroutable;
  /** Set by `authorize` when the matching rule asks for approval. */
  approvalRequirement?: ApprovalRequirement;
  /** The handler refused with `AccessDeniedError`: a `denied` line replaces the outcome line. */
  refusedByHandler: boolean;
  /** The handler ran out of time. */
  timedOut: boolean;
}

/** A new request record with nothing decided yet. */
export function newPipelineRequest(
  known: Pick<PipelineRequest, 'button' | 'approvedBy' | 'unroutable'> & {
    checkOnly?: boolean;
    nested?: boolean;
  } = {},
): PipelineRequest {
  return {
    outcome: { status: 'denied' },
    checkOnly: known.checkOnly ?? false,
    nested: known.nested ?? false,
    refusedByHandler: false,
    timedOut: false,
    ...(known.button ? { button: known.button } : {}),
    ...(known.approvedBy ? { approvedBy: known.approvedBy } : {}),
    ...(known.unroutable ? { unroutable: known.unroutable } : {}),
  };
}
