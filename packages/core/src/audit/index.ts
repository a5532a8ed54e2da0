export { type AnchoredChain, type AnchorSet, readS3Anchors } from './anchor-reader.js';
export { anchoringFromConfig, createAuditTransport } from './anchoring-config.js';
export { AuditAnchoring, type AuditAnchoringOptions, type ShippingOptions } from './audit-anchoring.js';
export { GENESIS_HASH, hashLine } from './audit-chain.js';
export { rotatedPath } from './audit-files.js';
export { type AuditLockHolder, AuditLogLockedError, lockAuditLog } from './audit-lock.js';
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
export type { AuditTransport, ShipmentScope, ShippedLine } from './audit-transport.js';
export { type ChainReport, NO_ANCHORS_NOTE, type VerifyChainsOptions, verifyChains } from './chain-verify.js';
export {
  type AuditCheckpoint,
  type CheckpointKeys,
  type CheckpointSigner,
  checkpointHash,
  checkSignature,
  loadPublicKeys,
  loadSigner,
  signCheckpoint,
} from './checkpoint.js';
export { checkpointsPath } from './checkpoint-file.js';
export {
  isSecretKey,
  REDACTED,
  redactArgs,
  redactText,
  SECRET_PATTERNS,
  type SecretPattern,
} from './redact.js';
export { SinkShipper, type SinkShipperOptions, type SinkShipperStats } from './sink-shipper.js';
export { type AuditTailOptions, formatAuditRecord, readAuditTail, readMergedTail } from './tail.js';
export { HttpTransport, type HttpTransportOptions } from './transports/http-transport.js';
export { S3Transport, type S3TransportOptions } from './transports/s3-transport.js';
export { StdoutTransport } from './transports/stdout-transport.js';
export {
  type AuditVerifyError,
  type AuditVerifyOptions,
  type AuditVerifyResult,
  formatVerifyError,
  verifyAuditLog,
} from './verify.js';
