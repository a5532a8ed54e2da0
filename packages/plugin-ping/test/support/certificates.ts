import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A private key and certificate in PEM. */
export interface KeyPair {
  key: string;
  cert: string;
}

/** Test certificates for 127.0.0.1, made with the `openssl` command line. */
export interface TestCertificates {
  /** A test CA that targets trust through `tls.ca`. */
  caPem: string;
  /** Signed by the CA, valid for a century. */
  valid: KeyPair;
  /** Signed by the CA, expired since 2020. */
  expired: KeyPair;
  /** Signed by the CA for another host name. */
  otherHost: KeyPair;
  /** Self-signed, not trusted by anyone. */
  selfSigned: KeyPair;
}

const CA_CONFIG = `[ca]
default_ca = test_ca
[test_ca]
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = any
copy_extensions = copy
unique_subject = no
[any]
commonName = supplied
`;

/** Generates the certificates in a temporary directory (EC keys: fast). */
export function createTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'ping-certs-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  try {
    writeFileSync(join(dir, 'ca.cnf'), CA_CONFIG);
    writeFileSync(join(dir, 'index.txt'), '');
    writeFileSync(join(dir, 'serial'), '01\n');
    openssl(
      'req',
      '-x509',
      ...newKey,
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '36500',
      '-subj',
      '/CN=ping test CA',
    );
    const sign = (name: string, subjectAltName: string, dates: string[]): KeyPair => {
      const subject = `/CN=${name}`;
      openssl(
        'req',
        '-new',
        ...newKey,
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.csr`,
        '-subj',
        subject,
        '-addext',
        `subjectAltName=${subjectAltName}`,
      );
      openssl(
        'ca',
        '-batch',
        '-config',
        'ca.cnf',
        '-cert',
        'ca.pem',
        '-keyfile',
        'ca.key',
        '-in',
        `${name}.csr`,
        '-out',
        `${name}.pem`,
        '-notext',
        ...dates,
      );
      return { key: read(`${name}.key`), cert: read(`${name}.pem`) };
    };
    const valid = sign('valid', 'IP:127.0.0.1', ['-days', '36500']);
    const expired = sign('expired', 'IP:127.0.0.1', [
      '-startdate',
      '20200101000000Z',
      '-enddate',
      '20200102000000Z',
    ]);
    const otherHost = sign('other-host', 'DNS:service.example', ['-days', '36500']);
    openssl(
      'req',
      '-x509',
      ...newKey,
      '-keyout',
      'self.key',
      '-out',
      'self.pem',
      '-days',
      '36500',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    );
    const selfSigned = { key: read('self.key'), cert: read('self.pem') };
    return { caPem: read('ca.pem'), valid, expired, otherHost, selfSigned };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
