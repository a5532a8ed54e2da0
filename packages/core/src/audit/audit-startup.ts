import { createPublicKey } from 'node:crypto';
import { open, rename } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { newCorrelationId } from '../pipeline/correlation-id.js';
import { resolveChainId } from './audit-anchoring.js';
import { hashLine } from './audit-chain.js';
import { listAuditFiles, rotatedPath } from './audit-files.js';
import type { AuditLogOptions } from './audit-log-options.js';
import type { AuditEntry } from './audit-record.js';
import type { ChainState } from './audit-resume.js';
import { seqOf } from './chain-lines.js';
import { type AuditCheckpoint, type CheckpointSigner, checkpointHash, checkSignature } from './checkpoint.js';
import { checkpointsPath, readCheckpointFile } from './checkpoint-file.js';
import { readLinesBackward } from './line-reader.js';

/** Where cut-off last lines are kept: `audit.jsonl.partial`. */
export function partialPath(auditPath: string): string {
  return `${auditPath}.partial`;
}

/** Appends the bytes of a cut-off last line to the `.partial` file (one per line), durably. */
export async function keepPartialLine(auditPath: string, bytes: Buffer): Promise<void> {
  const handle = await open(partialPath(auditPath), 'a', 0o600);
  try {
    await handle.write(Buffer.concat([bytes, Buffer.from('\n')]));
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The line with `seq`, searched from the end of the chain backwards. */
export async function findLineBySeq(path: string, seq: number): Promise<Buffer | undefined> {
  const { rotated } = await listAuditFiles(path);
  for (const file of [path, ...rotated.map((entry) => entry.path).reverse()]) {
    for await (const { bytes, terminated } of readLinesBackward(file)) {
      if (!terminated) continue;
      const found = seqOf(bytes);
      if (found === seq) return Buffer.from(bytes);
      if (found !== undefined && found < seq) return undefined;
    }
  }
  return undefined;
}

/**
 * Why the local chain disagrees with an anchored checkpoint (lines missing at the end, or the line
 * at the checkpoint's `lastSeq` changed), or undefined when it agrees.
 */
export async function disagreement(
  path: string,
  localSeq: number,
  checkpoint: AuditCheckpoint,
  signer?: CheckpointSigner,
): Promise<string | undefined> {
  if (localSeq < checkpoint.lastSeq) {
    return `seq ${localSeq + 1}-${checkpoint.lastSeq} are missing at the end (the checkpoint of ${checkpoint.time} covers up to seq ${checkpoint.lastSeq})`;
  }
  if (
    checkpoint.final &&
    localSeq > checkpoint.lastSeq &&
    !(await resumedLocally(path, checkpoint, signer))
  ) {
    return `seq ${checkpoint.lastSeq + 1}-${localSeq} were appended after the final checkpoint of ${checkpoint.time}, while the robot was stopped`;
  }
  const line = await findLineBySeq(path, checkpoint.lastSeq);
  if (!line) return `the line with seq ${checkpoint.lastSeq} (anchored at ${checkpoint.time}) is gone`;
  if (hashLine(line) !== checkpoint.head) {
    return `the line with seq ${checkpoint.lastSeq} differs from the one anchored at ${checkpoint.time} (edited, or the chain was recomputed)`;
  }
  return undefined;
}

/**
 * Whether the local checkpoints hold a checkpoint, signed with our key, that follows the anchored
 * final one: the robot resumed the chain and its resume checkpoint has not reached the anchor yet.
 */
async function resumedLocally(
  path: string,
  final: AuditCheckpoint,
  signer: CheckpointSigner | undefined,
): Promise<boolean> {
  if (!signer) return false;
  const keys = new Map([[signer.keyId, createPublicKey(signer.key)]]);
  const expected = checkpointHash(final);
  return (await readCheckpointFile(checkpointsPath(path))).some(
    (checkpoint) =>
      checkpoint.chain === final.chain &&
      checkpoint.previous === expected &&
      checkSignature(checkpoint, keys) === undefined,
  );
}

/**
 * Renames a chain's files (current, rotated, checkpoints, cut-off lines) to `<stem>.tampered-<time>…` so a new
 * chain starts at `path`; returns the new path of the current file.
 */
export async function moveChainAside(path: string, now: Date): Promise<string> {
  const ext = extname(path);
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const aside = join(dirname(path), `${basename(path, ext)}.tampered-${stamp}${ext}`);
  const { rotated } = await listAuditFiles(path);
  for (const file of rotated) await rename(file.path, rotatedPath(aside, file.index));
  await rename(path, aside).catch(ignoreMissing);
  await rename(checkpointsPath(path), checkpointsPath(aside)).catch(ignoreMissing);
  await rename(partialPath(path), partialPath(aside)).catch(ignoreMissing);
  return aside;
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}

/** An `integrity` line: a finding about the log itself, recorded in the log. */
export function integrityEntry(target: string, reason: string): AuditEntry {
  return {
    id: newCorrelationId(),
    event: 'integrity',
    principal: 'system:chatops',
    name: 'chatops',
    platform: 'system',
    conversation: { id: '-' },
    kind: 'system',
    target,
    permission: target,
    effect: 'write',
    args: {},
    reason,
  };
}

/**
 * Compares the local chain with the newest checkpoint each readable anchor holds for it. On a
 * disagreement the chain is moved aside (so the robot never chains onto tampered history) and the
 * reason is returned.
 */
export async function checkAnchors(
  options: AuditLogOptions,
  state: ChainState,
): Promise<{ reason: string; aside: string } | undefined> {
  const readers = (options.anchoring?.transports ?? []).filter((transport) => transport.latestCheckpoint);
  if (readers.length === 0 || state.seq === 0) return undefined;
  const instance = options.instance ?? 'unknown';
  const chain = await resolveChainId(options.path, state.seq);
  if (!chain) return undefined;
  for (const reader of readers) {
    let reason: string | undefined;
    try {
      const checkpoint = await reader.latestCheckpoint!(instance, chain);
      reason =
        checkpoint && (await disagreement(options.path, state.seq, checkpoint, options.anchoring?.signer));
    } catch (error) {
      options.onWarning?.(
        `audit log: could not read the anchors in ${reader.name}; the chain was not checked`,
        error,
      );
      continue;
    }
    if (reason) {
      const aside = await moveChainAside(options.path, new Date(options.now?.() ?? Date.now()));
      return {
        aside,
        reason: `the chain disagrees with its anchor in ${reader.name}: ${reason}. It was moved to ${aside} and a new chain starts`,
      };
    }
  }
  return undefined;
}
