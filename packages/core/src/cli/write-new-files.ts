import { access, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { ConfigError } from '../config/config-error.js';

/**
 * Writes files under `dir`, refusing (before writing any) when one exists and `force` is not set.
 * Returns the paths written, relative to the working directory.
 */
export async function writeNewFiles(
  dir: string,
  files: Record<string, string>,
  options: { force?: boolean } = {},
): Promise<string[]> {
  const paths = Object.keys(files).map((name) => join(dir, name));
  if (!options.force) {
    for (const path of paths) {
      const exists = await access(path).then(
        () => true,
        () => false,
      );
      if (exists)
        throw new ConfigError(`${relative(process.cwd(), path) || path} exists (use --force to replace it)`);
    }
  }
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }
  return paths.map((path) => relative(process.cwd(), path) || path);
}
