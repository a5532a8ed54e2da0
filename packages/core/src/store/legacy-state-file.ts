import { readFile } from 'node:fs/promises';

/** One entry of the JSON state file the file store kept before SQLite (`version: 1`). */
export interface LegacyStateEntry {
  value: unknown;
  expiresAt?: number;
}

interface LegacyStateFile {
  version: 1;
  entries: Record<string, LegacyStateEntry>;
}

/**
 * Reads a `state.json` written by the former file store: undefined when there is none.
 *
 * @throws Error naming the file when it exists but is not a store file.
 */
export async function readLegacyStateFile(
  file: string,
): Promise<Record<string, LegacyStateEntry> | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `state file ${file} is corrupt: ${(error as Error).message}; move it away to start without it`,
    );
  }
  if (!isLegacyStateFile(data)) {
    throw new Error(`state file ${file} is not a chatops state file; move it away to start without it`);
  }
  return data.entries;
}

function isLegacyStateFile(data: unknown): data is LegacyStateFile {
  if (data === null || typeof data !== 'object') return false;
  const { version, entries } = data as Partial<LegacyStateFile>;
  if (version !== 1 || entries === null || typeof entries !== 'object' || Array.isArray(entries))
    return false;
  return Object.values(entries).every(
    (entry) =>
      entry !== null &&
      typeof entry === 'object' &&
      'value' in entry &&
      (entry.expiresAt === undefined || typeof entry.expiresAt === 'number'),
  );
}
