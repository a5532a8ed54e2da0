import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

const ROTATED = /\.\d+\.jsonl$/;
const NOT_A_CHAIN = /\.(checkpoints|partial|lock)(\.jsonl)?$|\.sink-.*\.json$/;

/** The chains named by paths: a file is one chain; a directory holds one per current `.jsonl` file. */
export async function findChains(paths: string[]): Promise<string[]> {
  const chains: string[] = [];
  for (const path of paths) {
    let names: string[] | undefined;
    try {
      names = await readdir(path);
    } catch (error) {
      // A file (or a path that does not exist yet) is a chain of its own.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTDIR' && code !== 'ENOENT') throw error;
    }
    if (!names) {
      chains.push(path);
      continue;
    }
    for (const name of names.sort()) {
      if (name.endsWith('.jsonl') && !ROTATED.test(name) && !NOT_A_CHAIN.test(name))
        chains.push(join(path, name));
    }
  }
  return chains;
}
