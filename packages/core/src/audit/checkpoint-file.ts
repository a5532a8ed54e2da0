import { open } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { type AuditCheckpoint, parseCheckpoint } from './checkpoint.js';
import { readLines } from './line-reader.js';

/** The local copy of a log's checkpoints: `audit.jsonl` → `audit.checkpoints.jsonl`. */
export function checkpointsPath(auditPath: string): string {
  const ext = extname(auditPath);
  return join(dirname(auditPath), `${basename(auditPath, ext)}.checkpoints${ext || '.jsonl'}`);
}

/** Every checkpoint in a local checkpoints file, oldest first (lines that do not parse are skipped). */
export async function readCheckpointFile(path: string): Promise<AuditCheckpoint[]> {
  const found: AuditCheckpoint[] = [];
  for await (const { bytes, terminated } of readLines(path)) {
    if (!terminated) break;
    const checkpoint = parseCheckpoint(bytes.toString('utf8'));
    if (checkpoint) found.push(checkpoint);
  }
  return found;
}

/** Appends a checkpoint durably. */
export async function appendCheckpoint(path: string, checkpoint: AuditCheckpoint): Promise<void> {
  const handle = await open(path, 'a', 0o600);
  try {
    await handle.write(`${JSON.stringify(checkpoint)}\n`);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}
