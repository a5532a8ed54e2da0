import { createPublicKey, type KeyObject } from 'node:crypto';
import type { ChatopsConfig } from '../config/schema.js';
import type { ShippingOptions } from './audit-anchoring.js';
import type { AuditLogOptions } from './audit-log.js';
import type { AuditTransport } from './audit-transport.js';
import { loadPublicKeys, loadSigner } from './checkpoint.js';
import { HttpTransport } from './transports/http-transport.js';
import { S3Transport } from './transports/s3-transport.js';
import { StdoutTransport } from './transports/stdout-transport.js';

type AuditConfig = ChatopsConfig['audit'];
type SinkConfig = AuditConfig['sinks'][number];

/** The transport of one `audit.sinks` entry (the AWS SDK is loaded only when an S3 sink first sends). */
export function createAuditTransport(sink: SinkConfig): AuditTransport {
  if (sink.type === 'stdout') return new StdoutTransport();
  if (sink.type === 'http') {
    return new HttpTransport({
      url: sink.url,
      headers: sink.headers,
      timeoutMs: sink.timeout,
    });
  }
  const { type: _type, ...options } = sink;
  return new S3Transport(options);
}

/** What the audit log needs to anchor its chain, from the config; undefined with neither sinks nor a key. */
export function anchoringFromConfig(
  audit: AuditConfig,
  hooks: Pick<ShippingOptions, 'onBacklogFull' | 'onSendError'> = {},
): AuditLogOptions['anchoring'] {
  const { sinks, shipping, checkpoints } = audit;
  if (sinks.length === 0 && !checkpoints.privateKey) return undefined;
  return {
    transports: sinks.map(createAuditTransport),
    shipping: {
      batchLines: shipping.batchLines,
      batchWaitMs: shipping.batchWait,
      backlogLimit: shipping.backlogLimit,
      retry: { maxMs: shipping.maxRetryDelay },
      ...hooks,
    },
    ...(checkpoints.privateKey ? { signer: loadSigner(checkpoints.keyId, checkpoints.privateKey) } : {}),
    intervalMs: checkpoints.interval,
  };
}

/** The public keys `audit verify` accepts: the configured ones, plus the signing key's own half. */
export function verifyKeysFromConfig(audit: AuditConfig): Map<string, KeyObject> {
  const keys = loadPublicKeys(audit.checkpoints.publicKeys);
  const { privateKey, keyId } = audit.checkpoints;
  if (privateKey && !keys.has(keyId)) keys.set(keyId, createPublicKey(loadSigner(keyId, privateKey).key));
  return keys;
}
