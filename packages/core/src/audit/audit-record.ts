import type { Effect } from '../chat/card.js';
import type { InvocationKind } from '../pipeline/context.js';

/**
 * Whether a line records a decision taken before running, how the run ended, or a finding about the
 * log itself (`integrity`: a cut-off line kept aside, a chain that disagreed with its anchors).
 */
export type AuditEvent = 'decision' | 'outcome' | 'integrity';

/**
 * What the pipeline decided about a request. `rejected`: an approver denied it. `unknown`: an addressed
 * line named no command the caller may run; `usage`: its arguments did not parse.
 */
export type AuditDecision =
  | 'allowed'
  | 'denied'
  | 'approval-requested'
  | 'approved'
  | 'rejected'
  | 'expired'
  | 'invalid-token'
  | 'rate-limited'
  | 'unknown'
  | 'usage';

/** How a run ended. */
export type AuditOutcome = 'ok' | 'error' | 'timeout' | 'cancelled';

/** The conversation a request came from. */
export interface AuditConversation {
  id: string;
  /** Human name such as `#ops`, when known. */
  name?: string;
}

/** What a caller hands to {@link AuditLog.append}: a record without the fields the log adds. */
export interface AuditEntry {
  /** Correlation id of the request. */
  id: string;
  /** OpenTelemetry trace id of the request, when traces are exported. */
  traceId?: string;
  event: AuditEvent;
  /** Principal key, e.g. `slack:U1`. */
  principal: string;
  /** Display name of the principal. */
  name: string;
  email?: string;
  platform: string;
  conversation: AuditConversation;
  /** `system` for the log's own `integrity` lines. */
  kind: InvocationKind | 'system';
  /** Command path (`aws s3 public`), listener id or action id. */
  target: string;
  permission: string;
  effect: Effect;
  /** Arguments; the log redacts them again before writing. */
  args: Record<string, unknown>;
  decision?: AuditDecision;
  /** Why, in words (e.g. "needs role admin in #ops"). */
  reason?: string;
  /** Principal key of who approved or rejected. */
  approver?: string;
  /** Principal key of who asked, when it differs from `principal`. */
  requester?: string;
  /** Correlation id of the request whose handler ran this one (`ctx.execute`). */
  parent?: string;
  outcome?: AuditOutcome;
  durationMs?: number;
  /** Error message for `error` and `timeout` outcomes. */
  error?: string;
}

/** One line of the audit log as written. */
export interface AuditRecord extends AuditEntry {
  /** The replica that wrote the line (`instance` in the config, default the host name). */
  instance?: string;
  /** ISO 8601 time the entry was appended. */
  time: string;
  /** Running number, 1 for the first line ever, continuing across rotated files. */
  seq: number;
  /** SHA-256 (hex) of the previous line's exact bytes without its newline; 64 zeros for the first line. */
  prev: string;
}
