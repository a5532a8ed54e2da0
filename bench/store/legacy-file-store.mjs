import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The last commit with the JSON file store (before SQLite replaced it). */
export const LEGACY_COMMIT = 'c182444';
const REPO = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Compiles the former file store (`FileStore` on `MemoryStore`) as it was at {@link LEGACY_COMMIT},
 * read from git, into `dir`; resolves with the path of the module to import. The baseline is the
 * real old code, not a copy kept in the tree.
 */
export async function compileLegacyFileStore(dir) {
  await mkdir(dir, { recursive: true });
  for (const name of ['memory-store', 'file-store']) {
    let source;
    try {
      source = execFileSync('git', ['show', `${LEGACY_COMMIT}:packages/core/src/store/${name}.ts`], {
        cwd: REPO,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      throw new Error(
        `the file store baseline needs the git history (commit ${LEGACY_COMMIT}): ${error.message}`,
      );
    }
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
    });
    await writeFile(join(dir, `${name}.js`), outputText);
  }
  await writeFile(join(dir, 'package.json'), '{"type":"module"}\n');
  return join(dir, 'file-store.js');
}
