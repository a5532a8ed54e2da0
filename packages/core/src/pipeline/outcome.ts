/**
 * How handling one incoming message or click ended.
 * - `ok`: a handler ran and finished; `error`: it threw or timed out;
 * - `denied`: authorization, rate limit, a bad action token or the handler (`AccessDeniedError`) refused it;
 * - `pending`: it waits for approval; `usage`: bad arguments; `unknown`: no such command;
 * - `ignored`: not for the bot (no listener, own message, duplicate delivery);
 * - `queued`: handed to the replicas' shared event stream, where one replica handles it.
 */
export type OutcomeStatus =
  | 'ok'
  | 'error'
  | 'denied'
  | 'pending'
  | 'usage'
  | 'unknown'
  | 'ignored'
  | 'queued';

/** The result of `robot.receive`. */
export interface DispatchResult {
  status: OutcomeStatus;
  correlationId: string;
  /** Short reason for anything but `ok`. */
  message?: string;
}

/** Where the outcome of one request is collected by the pipeline. */
export interface RequestOutcome {
  status: OutcomeStatus;
  message?: string;
}
