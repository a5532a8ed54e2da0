import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { load } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const schemaPath = join(root, 'chatops.schema.json');
const examples = [
  'examples/chatops.config.yaml',
  'examples/slack/config.yaml',
  'examples/mattermost/config.yaml',
  'deploy/chatops.config.yaml',
];

interface Node {
  properties?: Record<string, Node>;
}
let committed: string;
let schema: Node;

beforeAll(async () => {
  committed = await readFile(schemaPath, 'utf8');
  schema = JSON.parse(committed);
});

function validator() {
  return new Ajv2020({ strict: false, validateFormats: false, allErrors: true }).compile(schema);
}

describe('chatops.schema.json', () => {
  it('is what `chatops schema` prints now (run `pnpm run schema` after changing a config schema)', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [
      join(root, 'packages/core/bin/chatops.js'),
      'schema',
    ]);
    expect(stdout === committed, 'chatops.schema.json is stale: run `pnpm run schema`').toBe(true);
  });

  it('describes the adapter and plugin blocks, not only the core keys', () => {
    const properties = schema.properties!;
    expect(Object.keys(properties['slack']?.properties ?? {})).toEqual(
      expect.arrayContaining(['mode', 'botToken', 'appToken', 'signingSecret']),
    );
    expect(Object.keys(properties['mattermost']?.properties ?? {})).toEqual(
      expect.arrayContaining(['url', 'token', 'commandTokens', 'publicUrl']),
    );
    expect(Object.keys(properties['shell']?.properties ?? {})).toEqual(['user', 'channel']);
    const plugins = properties['plugins']?.properties ?? {};
    expect(Object.keys(plugins)).toEqual([
      '@chatops/plugin-ping',
      '@chatops/plugin-shell',
      '@chatops/plugin-aws',
    ]);
    expect(plugins['@chatops/plugin-ping']?.properties).toHaveProperty('targets');
    expect(plugins['@chatops/plugin-shell']?.properties).toHaveProperty('scripts');
    expect(properties['hubot']?.properties).toHaveProperty('scripts');
  });

  it.each(examples)('%s names the schema on its first line and is valid against it', async (example) => {
    const text = await readFile(join(root, example), 'utf8');
    const first = text.split('\n')[0]!;
    const match = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
    expect(match, first).not.toBeNull();
    expect(resolve(dirname(join(root, example)), match![1]!)).toBe(schemaPath);
    const validate = validator();
    expect(validate(load(text)), JSON.stringify(validate.errors)).toBe(true);
  });

  it('flags a misspelled key in an adapter or plugin block', () => {
    const validate = validator();
    expect(validate({ adapter: 'slack', slack: { botTokn: 'x' } })).toBe(false);
    expect(JSON.stringify(validate.errors)).toContain('botTokn');
    expect(validate({ plugins: { '@chatops/plugin-ping': { targets: { uat: { ulr: 'x' } } } } })).toBe(false);
    expect(validate({ http: { port: '$' + '{CHATOPS_HTTP_PORT:-8080}' } })).toBe(true);
    expect(validate({ hubot: { scripts: [{ module: 'hubot-rules', efect: 'read' }] } })).toBe(false);
  });
});
