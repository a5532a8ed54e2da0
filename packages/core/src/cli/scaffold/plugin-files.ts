/** Where a new plugin goes and what it is wired to. */
export interface PluginScaffold {
  /** The plugin's name (`greeter`): its command and permission prefix. */
  name: string;
  packageName: string;
  /** `workspace:*` inside a workspace that has @chatops/core, else `^<version>`. */
  coreVersion: string;
  zodVersion: string;
  /** tsconfig `extends` and the core project reference, relative to the plugin, inside the workspace. */
  workspace?: { tsconfigBase: string; coreProject?: string };
  /** Tool versions for a standalone package (outside a workspace). */
  tools: Record<string, string>;
}

/** The files of a new plugin package: source, a test on the testing kit, package.json, tsconfig, README. */
export function pluginFiles(scaffold: PluginScaffold): Record<string, string> {
  return {
    'package.json': json(packageJson(scaffold)),
    'tsconfig.json': json(tsconfig(scaffold)),
    'src/index.ts': pluginSource(scaffold.name),
    [`test/${scaffold.name}.test.ts`]: pluginTest(scaffold.name),
    'README.md': readme(scaffold),
  };
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function packageJson(scaffold: PluginScaffold): Record<string, unknown> {
  return {
    name: scaffold.packageName,
    version: '0.1.0',
    private: true,
    description: `The ${scaffold.name} plugin of a ChatOps robot.`,
    type: 'module',
    main: './dist/index.js',
    types: './dist/index.d.ts',
    exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
    scripts: { build: 'tsc -b', test: 'vitest run' },
    dependencies: { '@chatops/core': scaffold.coreVersion, zod: scaffold.zodVersion },
    ...(scaffold.workspace ? {} : { devDependencies: scaffold.tools }),
  };
}

function tsconfig(scaffold: PluginScaffold): Record<string, unknown> {
  const output = { rootDir: 'src', outDir: 'dist', tsBuildInfoFile: 'dist/.tsbuildinfo' };
  if (scaffold.workspace) {
    return {
      extends: scaffold.workspace.tsconfigBase,
      compilerOptions: output,
      include: ['src'],
      ...(scaffold.workspace.coreProject ? { references: [{ path: scaffold.workspace.coreProject }] } : {}),
    };
  }
  return {
    compilerOptions: {
      target: 'ES2024',
      lib: ['ES2024'],
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      declaration: true,
      composite: true,
      skipLibCheck: true,
      types: ['node'],
      ...output,
    },
    include: ['src'],
  };
}

function pluginSource(name: string): string {
  return `import { definePlugin, UsageError } from '@chatops/core';
import { z } from 'zod';

/** \`${name} <target>\`: say what the plugin would do for a target. Replace it with your commands. */
export default definePlugin({
  name: '${name}',
  config: z.object({
    /** Targets the command accepts. */
    targets: z.array(z.string()).default(['uat', 'staging']),
  }),
  setup(bot, config) {
    bot.command({
      name: '${name}',
      args: '<target>',
      effect: 'read', // 'write' commands are denied until an auth rule grants them
      summary: 'Show what ${name} would do for a target',
      examples: ['${name} uat'],
      run: (ctx) => {
        const target = String(ctx.args['target']);
        if (!config.targets.includes(target)) {
          throw new UsageError(\`unknown target "\${target}" (known: \${config.targets.join(', ')})\`);
        }
        return { title: '${name}', status: 'ok', text: \`${name} is ready for \${target}.\` };
      },
    });
  },
});
`;
}

function pluginTest(name: string): string {
  return `import { createTestBot, type TestBot } from '@chatops/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import plugin from '../src/index.js';

let bot: TestBot;
afterEach(() => bot.close());

describe('${name} plugin', () => {
  it('answers for a configured target', async () => {
    bot = await createTestBot({ plugins: [[plugin, { targets: ['uat'] }]] });
    const [reply] = await bot.say('alice', '${name} uat');
    expect(reply?.card.text).toBe('${name} is ready for uat.');
    expect(bot.audit.at(-1)?.outcome).toBe('ok');
  });

  it('answers an unknown target with the usage', async () => {
    bot = await createTestBot({ plugins: [plugin] });
    const [reply] = await bot.say('alice', '${name} prod');
    expect(reply?.text).toContain('unknown target "prod"');
    expect(bot.lastResult?.status).toBe('usage');
  });
});
`;
}

function readme(scaffold: PluginScaffold): string {
  return `# ${scaffold.packageName}

The \`${scaffold.name}\` plugin of a ChatOps robot. \`pnpm test\` runs its test on the testing kit
(\`@chatops/core/testing\`); \`pnpm build\` compiles it to \`dist/\`.

Load it from the robot's config by path (relative to the config file) or by package name:

\`\`\`yaml
plugins:
  ${scaffold.packageName}: { targets: [uat, staging] }
\`\`\`
`;
}
