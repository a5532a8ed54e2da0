import { GENESIS_HASH, hashLine } from '../audit/audit-chain.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { AuditDecision, AuditEntry, AuditOutcome, AuditRecord } from '../audit/audit-record.js';
import type { AuditSink } from '../audit/audit-sink.js';
import { redactArgs, redactText } from '../audit/redact.js';
import type { Incoming } from '../chat/incoming.js';
import type { Principal } from '../chat/principal.js';
import type { Context, Invocation } from '../pipeline/context.js';
import { currentTraceId } from '../runtime/tracing.js';

const DONE = Promise.resolve();

/** What a line is about: a request's context, or the same facts rebuilt outside its pipeline run. */
export interface AuditSubject extends Pick<Context, 'id' | 'parent' | 'user' | 'platform' | 'conversation'> {
  invocation: Pick<Invocation, 'kind' | 'name' | 'permission' | 'effect' | 'args'>;
}

/** Extra fields of a decision or outcome line. */
export interface AuditDetails {
  reason?: string;
  approver?: string;
  requester?: string;
  durationMs?: number;
  error?: string;
}

/**
 * Writes the audit trail of requests: the durable hash-chained log when enabled, plus extra sinks.
 * Every write resolves only once the line is durable, so callers show results after it.
 */
export class Auditor {
  private seq = 0;
  /** Hash of the last line handed to the sinks when there is no file log: they get a chain too. */
  private prev = GENESIS_HASH;

  constructor(
    private readonly log: AuditLog | undefined,
    private readonly sinks: readonly AuditSink[],
    private readonly redactKeys: readonly string[],
    private readonly now: () => number,
  ) {}

  decision(ctx: AuditSubject, decision: AuditDecision, details: AuditDetails = {}): Promise<void> {
    if (!this.recording) return DONE;
    return this.write({ ...this.base(ctx), event: 'decision', decision, ...details });
  }

  outcome(ctx: AuditSubject, outcome: AuditOutcome, details: AuditDetails = {}): Promise<void> {
    if (!this.recording) return DONE;
    return this.write({ ...this.base(ctx), event: 'outcome', outcome, ...details });
  }

  /** False when the log is off and there are no sinks: then entries are not even built. */
  private get recording(): boolean {
    return this.log !== undefined || this.sinks.length > 0;
  }

  /** Records a click whose token was refused before any action could be resolved. */
  refusedToken(incoming: Incoming, user: Principal, id: string, reason: string): Promise<void> {
    const invocation = {
      kind: 'action',
      name: 'unknown',
      permission: 'unknown',
      effect: 'write',
      args: {},
      text: '',
    } as const;
    return this.decision(
      { id, user, platform: incoming.platform, conversation: incoming.conversation, invocation },
      'invalid-token',
      { reason },
    );
  }

  async close(): Promise<void> {
    await this.log?.close();
    if (!this.log) await Promise.all(this.sinks.map((sink) => sink.close()));
  }

  private base(ctx: AuditSubject): Omit<AuditEntry, 'event'> {
    const { user, invocation, conversation } = ctx;
    const traceId = currentTraceId();
    return {
      id: ctx.id,
      ...(traceId ? { traceId } : {}),
      ...(ctx.parent ? { parent: ctx.parent } : {}),
      principal: user.key,
      name: user.name,
      ...(user.email ? { email: user.email } : {}),
      platform: ctx.platform,
      conversation: { id: conversation.id, ...(conversation.name ? { name: conversation.name } : {}) },
      kind: invocation.kind,
      target: invocation.name,
      permission: invocation.permission,
      effect: invocation.effect,
      // The file log redacts what it writes; only lines that go straight to sinks are redacted here.
      args: this.log
        ? { ...invocation.args }
        : (redactArgs({ ...invocation.args }, this.redactKeys) as Record<string, unknown>),
    };
  }

  private async write(entry: AuditEntry): Promise<void> {
    if (this.log) {
      await this.log.append(entry);
      return;
    }
    if (this.sinks.length === 0) return;
    // Without the file log nothing else redacts free text (the log does it for its own lines and sinks).
    const record: AuditRecord = {
      ...entry,
      ...(entry.reason !== undefined ? { reason: redactText(entry.reason) } : {}),
      ...(entry.error !== undefined ? { error: redactText(entry.error) } : {}),
      time: new Date(this.now()).toISOString(),
      seq: ++this.seq,
      prev: this.prev,
    };
    const line = JSON.stringify(record);
    this.prev = hashLine(line);
    await Promise.all(this.sinks.map((sink) => sink.write(record, line)));
  }
}
