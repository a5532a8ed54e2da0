import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `chatops new plugin` in a small pnpm workspace of its own (this repo's core, built, plus the new
// plugin), then the plugin's own build and test as generated. The install is done by linking each
// dependency the generated package.json declares from this repository's install, since a fresh
// `pnpm install` may need the registry.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const run = promisify(execFile);
let workspace: string;

beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'chatops-new-plugin-'));
  await writeFile(join(workspace, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n  - plugins/*\n');
  await writeFile(join(workspace, 'package.json'), '{ "name": "ops", "private": true, "type": "module" }\n');
  await cp(join(root, 'tsconfig.base.json'), join(workspace, 'tsconfig.base.json'));
  await writeFile(
    join(workspace, 'tsconfig.json'),
    '{\n  "files": [],\n  "references": [{ "path": "packages/core" }]\n}\n',
  );
  const core = join(workspace, 'packages/core');
  for (const entry of ['package.json', 'tsconfig.json', 'src', 'dist', 'bin']) {
    await cp(join(root, 'packages/core', entry), join(core, entry), {
      recursive: true,
      preserveTimestamps: true,
    });
  }
  await symlink(join(root, 'packages/core/node_modules'), join(core, 'node_modules'));
  // typescript, vitest and @types/node, as the workspace root's dev dependencies.
  await symlink(join(root, 'node_modules'), join(workspace, 'node_modules'));
}, 60_000);
afterAll(() => rm(workspace, { recursive: true, force: true }));

describe('chatops new plugin', () => {
  it('scaffolds a plugin wired into the workspace whose test passes as generated', async () => {
    const { stdout } = await run(
      process.execPath,
      [join(root, 'packages/core/bin/chatops.js'), 'new', 'plugin', 'greeter'],
      {
        cwd: workspace,
      },
    );
    expect(stdout).toContain('wrote plugins/greeter/test/greeter.test.ts');
    expect(stdout).toContain('added plugins/greeter to the references of tsconfig.json');

    // The workspace checklist: a project reference, and core as a workspace dependency.
    const rootTsconfig = JSON.parse(await readFile(join(workspace, 'tsconfig.json'), 'utf8'));
    expect(rootTsconfig.references).toEqual([{ path: 'packages/core' }, { path: 'plugins/greeter' }]);
    const plugin = join(workspace, 'plugins/greeter');
    const manifest = JSON.parse(await readFile(join(plugin, 'package.json'), 'utf8'));
    expect(manifest.dependencies).toEqual({
      '@chatops/core': 'workspace:*',
      zod: expect.stringMatching(/^\^4/),
    });
    const tsconfig = JSON.parse(await readFile(join(plugin, 'tsconfig.json'), 'utf8'));
    expect(tsconfig).toMatchObject({
      extends: '../../tsconfig.base.json',
      references: [{ path: '../../packages/core' }],
    });

    for (const dependency of Object.keys(manifest.dependencies)) {
      const source =
        manifest.dependencies[dependency] === 'workspace:*'
          ? join(workspace, 'packages/core')
          : join(root, 'packages/core/node_modules', dependency);
      await mkdir(dirname(join(plugin, 'node_modules', dependency)), { recursive: true });
      await symlink(source, join(plugin, 'node_modules', dependency));
    }
    await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b'], { cwd: workspace });
    expect(await readFile(join(plugin, 'dist/index.js'), 'utf8')).toContain("name: 'greeter'");
    const tested = await run(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run'], {
      cwd: plugin,
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(tested.stdout).toMatch(/Tests\s+2 passed/);
  }, 120_000);

  it('refuses a bad name', async () => {
    const failed = await run(
      process.execPath,
      [join(root, 'packages/core/bin/chatops.js'), 'new', 'plugin', 'Bad_Name'],
      {
        cwd: workspace,
      },
    ).catch((error: { code: number; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 2, stderr: expect.stringContaining('plugin name "Bad_Name"') });
  });
});
