export { GENESIS_HASH, hashLine } from './audit-chain.js';
export { rotatedPath } from './audit-files.js';
export { AuditLog, type AuditLogOptions, type AuditLogStats } from './audit-log.js';
export type {
  AuditConversation,
  AuditDecision,
  AuditEntry,
  AuditEvent,
  AuditOutcome,
  AuditRecord,
} from './audit-record.js';
export { AuditLogCorruptError } from './audit-resume.js';
export { type AuditSink, MemoryAuditSink } from './audit-sink.js';
export {
  isSecretKey,
  REDACTED,
  redactArgs,
  redactText,
  SECRET_PATTERNS,
  type SecretPattern,
} from './redact.js';
export { type AuditTailOptions, formatAuditRecord, readAuditTail } from './tail.js';
export {
  type AuditVerifyError,
  type AuditVerifyOptions,
  type AuditVerifyResult,
  formatVerifyError,
  verifyAuditLog,
} from './verify.js';
