import { generateKeyPairSync } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { type AnchorSet, readS3Anchors } from '../audit/anchor-reader.js';
import { verifyKeysFromConfig } from '../audit/anchoring-config.js';
import { type ChainReport, verifyChains } from '../audit/chain-verify.js';
import { loadPublicKeys } from '../audit/checkpoint.js';
import { formatAuditRecord, readMergedTail } from '../audit/tail.js';
import type { S3TransportOptions } from '../audit/transports/s3-transport.js';
import { resolveInstance } from '../config/instance.js';
import type { LoadedConfig } from '../config/load-config.js';
import { loadCliConfig } from './boot.js';
import { runCli } from './run-cli.js';

interface VerifyOptions {
  config?: string;
  anchors?: string | false;
  endpoint?: string;
  region?: string;
  profile?: string;
  publicKey: string[];
  allowMissingStart?: boolean;
  instance: string[];
  json?: boolean;
}

async function loadConfigIfAny(options: { config?: string }): Promise<LoadedConfig | undefined> {
  try {
    return await loadCliConfig(options);
  } catch (error) {
    if (options.config) throw error;
    return undefined;
  }
}

async function auditPaths(files: string[], options: { config?: string }): Promise<string[]> {
  if (files.length > 0) return files;
  const loaded = await loadCliConfig(options);
  return [loaded.config.audit.path];
}

/** `s3://bucket/prefix/` and the connection flags, as the S3 sink's options. */
function parseAnchorUrl(url: string, options: VerifyOptions): S3TransportOptions {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!match) throw new Error(`--anchors must look like s3://bucket/prefix/, got "${url}"`);
  const prefix = match[2] ?? '';
  return {
    bucket: match[1]!,
    prefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.region ? { region: options.region } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
  };
}

async function anchorSources(
  options: VerifyOptions,
  loaded: LoadedConfig | undefined,
): Promise<S3TransportOptions[]> {
  if (options.anchors === false) return [];
  if (typeof options.anchors === 'string') return [parseAnchorUrl(options.anchors, options)];
  return (loaded?.config.audit.sinks ?? []).flatMap((sink) => {
    if (sink.type !== 's3') return [];
    const { type: _type, ...rest } = sink;
    return [rest];
  });
}

async function publicKeys(options: VerifyOptions, loaded: LoadedConfig | undefined) {
  const keys = loaded ? verifyKeysFromConfig(loaded.config.audit) : new Map();
  for (const spec of options.publicKey) {
    const at = spec.indexOf('=');
    if (at < 1) throw new Error(`--public-key must be id=file.pem, got "${spec}"`);
    const id = spec.slice(0, at);
    const pem = await readFile(spec.slice(at + 1), 'utf8');
    for (const [keyId, key] of loadPublicKeys({ [id]: pem })) keys.set(keyId, key);
  }
  return keys;
}

function printReport(report: ChainReport): void {
  const what = [report.instance, report.chain ? `chain ${report.chain.slice(0, 12)}…` : undefined]
    .filter(Boolean)
    .join(', ');
  const head = report.findings.length === 0 ? 'OK' : 'BROKEN';
  process.stdout.write(`${head}: ${report.path}: ${report.lines} line(s)${what ? ` (${what})` : ''}\n`);
  for (const finding of report.findings) process.stdout.write(`  - ${finding}\n`);
  for (const note of report.notes) process.stdout.write(`  note: ${note}\n`);
}

function verifyCommand(): Command {
  return new Command('verify')
    .description(
      'Check the hash chain of audit logs (files or directories of them); with anchors, also against the signed checkpoints and shipped lines. Exit 1 when anything is wrong',
    )
    .argument('[paths...]', 'audit logs or directories (default: audit.path from the config)')
    .option('-c, --config <file>', 'config file (audit path, S3 sinks, public keys)')
    .option(
      '--anchors <url>',
      'anchors to check against: s3://bucket/prefix/ (default: the s3 sinks in the config)',
    )
    .option('--no-anchors', 'check only the local chains')
    .option('--endpoint <url>', 'S3 endpoint for --anchors (S3-compatible stores)')
    .option('--region <region>', 'S3 region for --anchors')
    .option('--profile <name>', 'AWS profile for --anchors')
    .option(
      '--public-key <id=file>',
      'a checkpoint public key (PEM); repeat for several',
      (value: string, all: string[]) => [...all, value],
      [] as string[],
    )
    .option('--allow-missing-start', 'accept chains whose oldest files were deleted (retention)')
    .option(
      '--instance <name>',
      'a replica whose anchored chains must all have a local file (default: the config instance); repeat for several',
      (value: string, all: string[]) => [...all, value],
      [] as string[],
    )
    .option('--json', 'print the reports as JSON')
    .action((paths: string[], options: VerifyOptions) =>
      runCli(async () => {
        const loaded = await loadConfigIfAny(options);
        const files = paths.length > 0 ? paths : await auditPaths([], options);
        const sources = await anchorSources(options, loaded);
        const anchors: AnchorSet[] = [];
        for (const source of sources) anchors.push(await readS3Anchors(source));
        const instances =
          options.instance.length > 0 || !loaded
            ? options.instance
            : [resolveInstance(loaded.config.instance)];
        const reports = await verifyChains(files, {
          anchors,
          instances,
          keys: await publicKeys(options, loaded),
          ...(options.allowMissingStart ? { allowMissingStart: true } : {}),
        });
        if (options.json) process.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
        else for (const report of reports) printReport(report);
        return reports.every((report) => report.findings.length === 0) ? 0 : 1;
      }),
    );
}

function tailCommand(): Command {
  return new Command('tail')
    .description('Show the last entries of the audit log (several files or directories are merged by time)')
    .argument('[paths...]', 'audit logs or directories (default: audit.path from the config)')
    .option('-c, --config <file>', 'config file')
    .option('-n, --lines <n>', 'how many entries', '20')
    .option('-u, --user <user>', 'only entries of this principal (key or name)')
    .option('--json', 'print the JSON lines')
    .action((paths: string[], options: { config?: string; lines: string; user?: string; json?: boolean }) =>
      runCli(async () => {
        const n = Number(options.lines);
        if (!Number.isInteger(n) || n < 1)
          throw new Error(`--lines must be a positive whole number, got "${options.lines}"`);
        const records = await readMergedTail(await auditPaths(paths, options), {
          n,
          ...(options.user ? { user: options.user } : {}),
        });
        for (const record of records)
          process.stdout.write(`${options.json ? JSON.stringify(record) : formatAuditRecord(record)}\n`);
        return 0;
      }),
    );
}

function keygenCommand(): Command {
  return new Command('keygen')
    .description('Print a new Ed25519 key pair for signing checkpoints (PEM: private, then public)')
    .action(() =>
      runCli(async () => {
        const { privateKey, publicKey } = generateKeyPairSync('ed25519');
        process.stdout.write(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
        process.stdout.write(publicKey.export({ type: 'spki', format: 'pem' }).toString());
        return 0;
      }),
    );
}

/** `chatops audit verify|tail|keygen`. */
export function auditCommand(): Command {
  return new Command('audit')
    .description('Check or read the audit log')
    .addCommand(verifyCommand())
    .addCommand(tailCommand())
    .addCommand(keygenCommand());
}
