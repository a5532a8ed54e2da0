import { access, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, matchesGlob, relative, resolve } from 'node:path';

/** A pnpm workspace around a directory, as far as a new package needs to know. */
export interface Workspace {
  root: string;
  /** Whether the workspace's package globs take in the directory. */
  includes: boolean;
  /** The workspace's @chatops/core package directory, when it has one. */
  coreDir?: string;
  /** The root tsconfig.base.json, when there is one. */
  tsconfigBase?: string;
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** Finds the pnpm workspace (pnpm-workspace.yaml) above `dir`. */
export async function findWorkspace(dir: string): Promise<Workspace | undefined> {
  for (let current = resolve(dir); ; current = dirname(current)) {
    const manifest = join(current, 'pnpm-workspace.yaml');
    if (await exists(manifest)) {
      const globs = [...(await readFile(manifest, 'utf8')).matchAll(/^\s*-\s*["']?([^"'\s#]+)/gm)].map(
        (match) => match[1]!,
      );
      const path = relative(current, resolve(dir));
      const coreDir = join(current, 'packages', 'core');
      const hasCore = await readFile(join(coreDir, 'package.json'), 'utf8').then(
        (text) => (JSON.parse(text) as { name?: string }).name === '@chatops/core',
        () => false,
      );
      const base = join(current, 'tsconfig.base.json');
      return {
        root: current,
        includes: globs.some((glob) => matchesGlob(path, glob)),
        ...(hasCore ? { coreDir } : {}),
        ...((await exists(base)) ? { tsconfigBase: base } : {}),
      };
    }
    if (dirname(current) === current) return undefined;
  }
}

/**
 * Adds a project reference for `projectDir` to the workspace's root tsconfig.json (plain JSON with a
 * `references` array). False when there is no such file or it cannot be edited safely.
 */
export async function addTsconfigReference(root: string, projectDir: string): Promise<boolean> {
  const path = join(root, 'tsconfig.json');
  let tsconfig: { references?: { path: string }[] };
  try {
    tsconfig = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return false;
  }
  if (!Array.isArray(tsconfig.references)) return false;
  const reference = relative(root, projectDir);
  if (!tsconfig.references.some((entry) => entry.path === reference)) {
    tsconfig.references.push({ path: reference });
    await writeFile(path, `${JSON.stringify(tsconfig, null, 2)}\n`);
  }
  return true;
}
