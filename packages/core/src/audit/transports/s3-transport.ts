import { gzipSync } from 'node:zlib';
import type { S3Client } from '@aws-sdk/client-s3';
import type { AuditTransport, SendOptions, ShipmentScope, ShippedLine } from '../audit-transport.js';
import { type AuditCheckpoint, parseCheckpoint } from '../checkpoint.js';

/** Where and how the S3 sink writes (the same connection options as the AWS plugin). */
export interface S3TransportOptions {
  bucket: string;
  /** Key prefix, e.g. `chatops-audit/`. */
  prefix?: string;
  region?: string;
  /** Custom endpoint (S3-compatible stores, the emulator); path-style addressing goes with it. */
  endpoint?: string;
  forcePathStyle?: boolean;
  /** A profile from ~/.aws; default: the SDK's default credential chain. */
  profile?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Object Lock retention put on every object; false for none (a bucket default may still apply). */
  objectLock?: { mode: 'GOVERNANCE' | 'COMPLIANCE'; days: number } | false;
  /** SDK attempts per call (the shipper retries on top). Default 3. */
  maxAttempts?: number;
}

type S3Module = typeof import('@aws-sdk/client-s3');

/** Loads the AWS SDK's S3 client only when an S3 sink or anchor is used. */
export async function loadS3(): Promise<S3Module> {
  try {
    return await import('@aws-sdk/client-s3');
  } catch {
    throw new Error(
      'the s3 audit sink needs the package @aws-sdk/client-s3 (install it next to @chatops/core)',
    );
  }
}

/** An S3 client from the sink's options. */
export async function createS3Client(
  options: S3TransportOptions,
): Promise<{ s3: S3Module; client: S3Client }> {
  const s3 = await loadS3();
  const client = new s3.S3Client({
    ...(options.region ? { region: options.region } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
    maxAttempts: options.maxAttempts ?? 3,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
  });
  return { s3, client };
}

/** Key layout of the anchors of one chain under the prefix. */
export const anchorKeys = {
  chain: (prefix: string, instance: string, chain: string) => `${prefix}${instance}/${chain}/`,
  lines: (prefix: string, scope: ShipmentScope, first: number, last: number) =>
    `${anchorKeys.chain(prefix, scope.instance, scope.chain)}lines/${pad(first)}-${pad(last)}.jsonl.gz`,
  /** Newest first in listing order: the time is stored as its distance to year 2286. */
  checkpoint: (prefix: string, checkpoint: AuditCheckpoint) =>
    `${anchorKeys.chain(prefix, checkpoint.instance, checkpoint.chain)}checkpoints/` +
    `${String(9_999_999_999_999 - Date.parse(checkpoint.time)).padStart(13, '0')}-${pad(checkpoint.lastSeq)}.json`,
};

function pad(seq: number): string {
  return String(seq).padStart(12, '0');
}

/**
 * Writes line batches (gzip JSON Lines) and checkpoints to a bucket, each object under Object Lock
 * retention, so that nobody holding the bot's credentials can change or delete them before the date.
 */
export class S3Transport implements AuditTransport {
  readonly name: string;
  private readonly prefix: string;
  private connection: Promise<{ s3: S3Module; client: S3Client }> | undefined;

  constructor(private readonly options: S3TransportOptions) {
    this.prefix = options.prefix ?? 'chatops-audit/';
    this.name = `s3:${options.bucket}/${this.prefix}`;
  }

  private connect(): Promise<{ s3: S3Module; client: S3Client }> {
    this.connection ??= createS3Client(this.options);
    return this.connection;
  }

  async sendLines(scope: ShipmentScope, lines: ShippedLine[], options: SendOptions = {}): Promise<void> {
    const key = anchorKeys.lines(this.prefix, scope, lines[0]!.seq, lines.at(-1)!.seq);
    // A batch that may have arrived before a crash is not written twice: a second version would
    // read as an overwrite.
    if (options.resend && (await this.exists(key))) return;
    const body = gzipSync(`${lines.map((line) => line.line).join('\n')}\n`);
    await this.put(key, body, {
      ContentType: 'application/x-ndjson',
      ContentEncoding: 'gzip',
    });
  }

  async sendCheckpoint(checkpoint: AuditCheckpoint): Promise<void> {
    await this.put(anchorKeys.checkpoint(this.prefix, checkpoint), Buffer.from(JSON.stringify(checkpoint)), {
      ContentType: 'application/json',
    });
  }

  async latestCheckpoint(instance: string, chain: string): Promise<AuditCheckpoint | undefined> {
    const { s3, client } = await this.connect();
    const listed = await client.send(
      new s3.ListObjectsV2Command({
        Bucket: this.options.bucket,
        Prefix: `${anchorKeys.chain(this.prefix, instance, chain)}checkpoints/`,
        MaxKeys: 1,
      }),
    );
    const key = listed.Contents?.[0]?.Key;
    if (!key) return undefined;
    const object = await client.send(new s3.GetObjectCommand({ Bucket: this.options.bucket, Key: key }));
    return parseCheckpoint((await object.Body?.transformToString()) ?? '');
  }

  private async exists(key: string): Promise<boolean> {
    const { s3, client } = await this.connect();
    try {
      await client.send(new s3.HeadObjectCommand({ Bucket: this.options.bucket, Key: key }));
      return true;
    } catch (error) {
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404)
        return false;
      throw error;
    }
  }

  async close(): Promise<void> {
    if (this.connection) (await this.connection).client.destroy();
  }

  private async put(key: string, body: Buffer, extra: { ContentType: string; ContentEncoding?: string }) {
    const { s3, client } = await this.connect();
    const lock = this.options.objectLock ?? false;
    await client.send(
      new s3.PutObjectCommand({
        Bucket: this.options.bucket,
        Key: key,
        Body: body,
        ...extra,
        ...(lock
          ? {
              ObjectLockMode: lock.mode,
              ObjectLockRetainUntilDate: new Date(Date.now() + lock.days * 86_400_000),
            }
          : {}),
      }),
    );
  }
}
