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
  readonly nonce: string;
  readonly tokenExpires: number;
  /** Shared by reference with the commands the click runs, so their first write uses it up. */
  consumed: boolean;
}

/**
 * What the pipeline's built-in steps decide about one request. Only the robot's steps see it; plugins
 * get the frozen {@link Context} (and its `state`, which is theirs). What the context already says (a
 * nested run's `parent`, a replay's `approvedBy`, a checked-only click in `incoming`) is read there.
 */
export interface PipelineRequest {
  /** How the request ended, filled in by the steps and the handler run. */
  readonly outcome: RequestOutcome;
  /** The click it came from, for a button or a command a button ran through `ctx.execute`. */
  readonly button?: ButtonClick;
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
  known: Pick<PipelineRequest, 'button' | 'unroutable'> = {},
): PipelineRequest {
  return { outcome: { status: 'denied' }, refusedByHandler: false, timedOut: false, ...known };
}
