import { readdir } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { escapeRegExp } from '../shared/escape-regexp.js';

/** The current log file and its rotated predecessors, oldest first. */
export interface AuditFiles {
  /** Rotated files sorted by their number (oldest first). */
  rotated: { index: number; path: string }[];
  current: string;
}

function splitName(path: string): { dir: string; stem: string; ext: string } {
  const ext = extname(path);
  return { dir: dirname(path), stem: basename(path, ext), ext };
}

/**
 * Path of rotated file number `index`: `audit.jsonl` becomes `audit.1.jsonl`, `audit.2.jsonl`, …;
 * the number grows with each rotation, so 1 is the oldest.
 */
export function rotatedPath(path: string, index: number): string {
  const { dir, stem, ext } = splitName(path);
  return join(dir, `${stem}.${index}${ext}`);
}

/** Finds the rotated files next to `path` (none when the directory does not exist). */
export async function listAuditFiles(path: string): Promise<AuditFiles> {
  const { dir, stem, ext } = splitName(path);
  const pattern = new RegExp(`^${escapeRegExp(stem)}\\.(\\d+)${escapeRegExp(ext)}$`);
  let names: string[] = [];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const rotated = names
    .map((name) => ({ name, match: pattern.exec(name) }))
    .filter((entry) => entry.match !== null)
    .map((entry) => ({ index: Number(entry.match![1]), path: join(dir, entry.name) }))
    .sort((a, b) => a.index - b.index);
  return { rotated, current: path };
}
