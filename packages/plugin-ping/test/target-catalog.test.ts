import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type PingConfigInput, pingConfigSchema } from '../src/config.js';
import { TargetCatalog } from '../src/target-catalog.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function catalog(input: PingConfigInput, configDir = '/nonexistent') {
  return new TargetCatalog(pingConfigSchema.parse(input), configDir);
}

describe('target catalog', () => {
  it('finds targets by name or alias, ignoring case', () => {
    const targets = catalog({
      targets: { UAT: { url: 'http://uat/', aliases: ['Acceptance'] }, db: { url: 'tcp://db:5432' } },
    });
    expect(targets.find('uat')?.name).toBe('UAT');
    expect(targets.find('ACCEPTANCE')?.name).toBe('UAT');
    expect(targets.find('db')?.check).toMatchObject({ kind: 'tcp', host: 'db', port: 5432 });
    expect(targets.find('prod')).toBeUndefined();
  });

  it('reads a CA file relative to the config directory, or takes PEM text as is', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ping-catalog-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'ca.pem'), PEM);
    const targets = catalog(
      {
        targets: {
          file: { url: 'https://a/', tls: { ca: './ca.pem' } },
          inline: { url: 'https://b/', tls: { ca: PEM } },
        },
      },
      dir,
    );
    expect(targets.find('file')?.check).toMatchObject({ tls: { verify: true, ca: PEM } });
    expect(targets.find('inline')?.check).toMatchObject({ tls: { verify: true, ca: PEM } });
  });

  it('names the key of a CA file it cannot read', () => {
    expect(() =>
      catalog({ targets: { uat: { url: 'https://uat/', tls: { ca: 'missing.pem' } } } }, '/etc/chatops'),
    ).toThrow('targets.uat.tls.ca: cannot read /etc/chatops/missing.pem (ENOENT)');
  });
});
