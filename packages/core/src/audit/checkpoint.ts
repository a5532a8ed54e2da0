import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { ConfigError } from '../config/config-error.js';
import { GENESIS_HASH } from './audit-chain.js';

/** A signed statement of where one chain stood: written at an interval and at shutdown. */
export interface AuditCheckpoint {
  type: 'checkpoint';
  /** The replica that writes the chain. */
  instance: string;
  /** Id of the chain: SHA-256 of its first line (seq 1). */
  chain: string;
  /** First seq this checkpoint covers (one after the previous checkpoint's `lastSeq`). */
  firstSeq: number;
  /** Seq of the chain's last line at the time. */
  lastSeq: number;
  /** SHA-256 of the line `lastSeq`. */
  head: string;
  /** ISO time. */
  time: string;
  /** Written at shutdown: no line may follow it until the next checkpoint says the robot resumed. */
  final: boolean;
  /** {@link checkpointHash} of the previous checkpoint of this chain, or 64 zeros for the first. */
  previous: string;
  /** Which signing key signed it (verifiers hold the public keys by id). */
  keyId: string;
  /** Ed25519 signature (base64) of {@link checkpointPayload}. */
  signature: string;
}

/** A private key and its id, for writing checkpoints. */
export interface CheckpointSigner {
  keyId: string;
  key: KeyObject;
}

/** Public keys by key id, for verifying checkpoints (several during a key rotation). */
export type CheckpointKeys = ReadonlyMap<string, KeyObject>;

const FIELDS = [
  'type',
  'instance',
  'chain',
  'firstSeq',
  'lastSeq',
  'head',
  'time',
  'final',
  'previous',
  'keyId',
] as const;

/** The exact bytes that are signed: the fields in a fixed order, without the signature. */
export function checkpointPayload(checkpoint: Omit<AuditCheckpoint, 'signature'>): Buffer {
  return Buffer.from(JSON.stringify(FIELDS.map((field) => checkpoint[field])));
}

/** SHA-256 (hex) of a checkpoint, signature included: what the next checkpoint's `previous` holds. */
export function checkpointHash(checkpoint: AuditCheckpoint): string {
  return createHash('sha256')
    .update(checkpointPayload(checkpoint))
    .update(checkpoint.signature)
    .digest('hex');
}

/** Signs the fields of a checkpoint. */
export function signCheckpoint(
  fields: Omit<AuditCheckpoint, 'signature' | 'keyId' | 'type' | 'previous'> & { previous?: string },
  signer: CheckpointSigner,
): AuditCheckpoint {
  const unsigned = {
    type: 'checkpoint' as const,
    ...fields,
    previous: fields.previous ?? GENESIS_HASH,
    keyId: signer.keyId,
  };
  const signature = sign(null, checkpointPayload(unsigned), signer.key).toString('base64');
  return { ...unsigned, signature };
}

/** Why a checkpoint's signature does not hold, or undefined when it does. */
export function checkSignature(checkpoint: AuditCheckpoint, keys: CheckpointKeys): string | undefined {
  const key = keys.get(checkpoint.keyId);
  if (!key) return `signed with key "${checkpoint.keyId}", which is not among the public keys given`;
  try {
    const ok = verify(
      null,
      checkpointPayload(checkpoint),
      key,
      Buffer.from(String(checkpoint.signature), 'base64'),
    );
    return ok ? undefined : 'bad signature (the checkpoint was altered or not signed by its key)';
  } catch {
    return 'bad signature (not a valid Ed25519 signature)';
  }
}

/** Reads a checkpoint from JSON text; undefined when it is not one. */
export function parseCheckpoint(text: string): AuditCheckpoint | undefined {
  try {
    const value = JSON.parse(text) as Partial<AuditCheckpoint> | null;
    if (value?.type !== 'checkpoint') return undefined;
    const numbers = [value.firstSeq, value.lastSeq].every((n) => Number.isSafeInteger(n));
    const strings = [value.instance, value.chain, value.head, value.time, value.previous, value.keyId].every(
      (s) => typeof s === 'string',
    );
    return numbers && strings && typeof value.final === 'boolean' && typeof value.signature === 'string'
      ? (value as AuditCheckpoint)
      : undefined;
  } catch {
    return undefined;
  }
}

/** An Ed25519 private key from PEM text (PKCS#8), with its id. */
export function loadSigner(keyId: string, pem: string): CheckpointSigner {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem.replace(/\\n/g, '\n'));
  } catch {
    throw new ConfigError('audit.checkpoints.privateKey: not a PEM private key');
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new ConfigError(
      `audit.checkpoints.privateKey: an Ed25519 key is needed, got ${key.asymmetricKeyType}`,
    );
  return { keyId, key };
}

/** Ed25519 public keys from PEM text by id (a private key gives its public half). */
export function loadPublicKeys(keys: Record<string, string>): Map<string, KeyObject> {
  const loaded = new Map<string, KeyObject>();
  for (const [id, pem] of Object.entries(keys)) {
    let key: KeyObject;
    try {
      key = createPublicKey(pem.replace(/\\n/g, '\n'));
    } catch {
      throw new ConfigError(`public key "${id}": not a PEM public key`);
    }
    if (key.asymmetricKeyType !== 'ed25519') throw new ConfigError(`public key "${id}": not an Ed25519 key`);
    loaded.set(id, key);
  }
  return loaded;
}
