import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORE_SCHEMA, load, mergeTag } from 'js-yaml';
import { describe, expect, it } from 'vitest';

// No container runtime here: these check what can be checked without one. The bundle the image
// ships is built and run by smoke-bundle.test.ts.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const dockerfile = read('Dockerfile').replace(/\\\n/g, ' ');
const instructions = dockerfile
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'));
const ignored = read('.dockerignore')
  .split('\n')
  .filter((line) => line && !line.startsWith('#'));

describe('Dockerfile', () => {
  it('copies only files that exist and that .dockerignore lets through', () => {
    const sources = instructions
      .filter((line) => line.startsWith('COPY ') && !line.includes('--from='))
      .flatMap((line) => line.replace(/--\S+/g, '').trim().split(/\s+/).slice(1, -1));
    expect(sources).toContain('deploy/chatops.config.yaml');
    for (const source of sources) {
      if (source === '.') continue;
      expect(existsSync(join(root, source)), source).toBe(true);
      expect(
        ignored.some((pattern) => source.startsWith(pattern)),
        source,
      ).toBe(false);
    }
  });

  it('builds the bundle the smoke test runs, on Node 24, and runs it as a non-root user under tini', () => {
    const smoke = read('scripts/smoke-bundle.mjs');
    expect(dockerfile).toContain('pnpm --filter @chatops/bundle deploy --legacy --prod');
    expect(smoke).toContain("'--filter', '@chatops/bundle', 'deploy', '--legacy', '--prod'");
    expect(instructions).toContain('ARG NODE_VERSION=24');
    expect(instructions.filter((line) => line.startsWith('USER ')).at(-1)).toBe('USER 10001:10001');
    expect(instructions).toContain('ENTRYPOINT ["tini", "--", "chatops"]');
    expect(dockerfile).toMatch(/HEALTHCHECK .*\/healthz/);
    expect(instructions).toContain('VOLUME ["/etc/chatops", "/var/lib/chatops"]');
    // The last stage is the default target: the slim runtime, not the tools variant.
    expect(instructions.filter((line) => line.startsWith('FROM ')).at(-1)).toBe('FROM runtime');
  });
});

interface ComposeService {
  profiles?: string[];
  read_only?: boolean;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
}

describe('docker-compose.yml', () => {
  // Compose files use YAML merge keys (`<<: *chatops`).
  const compose = load(read('docker-compose.yml'), { schema: CORE_SCHEMA.withTags(mergeTag) }) as {
    services: Record<string, ComposeService>;
  };

  it('has the bot with Redis by default and Mattermost behind a profile', () => {
    const byDefault = Object.entries(compose.services)
      .filter(([, service]) => !service.profiles)
      .map(([name]) => name);
    expect(byDefault.sort()).toEqual(['chatops', 'redis']);
    for (const name of ['mattermost', 'mattermost-setup', 'chatops-mattermost']) {
      expect(compose.services[name]?.profiles).toEqual(['mattermost']);
    }
    expect(compose.services['chatops-mattermost']?.depends_on?.['mattermost-setup']?.condition).toBe(
      'service_completed_successfully',
    );
  });

  it('mounts only files of this repository and keeps the bots on a read-only root', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (source.startsWith('./')) expect(existsSync(join(root, source)), `${name}: ${source}`).toBe(true);
      }
      if (name !== 'mattermost') expect(service.read_only, name).toBe(true);
    }
  });
});
