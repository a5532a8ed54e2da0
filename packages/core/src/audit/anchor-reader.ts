import { gunzipSync } from 'node:zlib';
import { seqOf } from './chain-lines.js';
import { type AuditCheckpoint, parseCheckpoint } from './checkpoint.js';
import { createS3Client, type S3TransportOptions } from './transports/s3-transport.js';

/** A checkpoint as found in the anchors, with the object it came from. */
export interface AnchoredCheckpoint {
  key: string;
  checkpoint: AuditCheckpoint;
}

/** What the anchors hold for one chain. */
export interface AnchoredChain {
  instance: string;
  chain: string;
  checkpoints: AnchoredCheckpoint[];
  /** Shipped lines by seq (exact text), with the object each came from. */
  lines: Map<number, { line: string; key: string }>;
}

/** Everything read from one anchor store. */
export interface AnchorSet {
  /** e.g. `s3:bucket/prefix/`. */
  source: string;
  /** By `instance/chain`. */
  chains: Map<string, AnchoredChain>;
  /** Objects that were overwritten, deleted or unreadable: each is a finding. */
  problems: string[];
}

const KEY = /^(.*?)([^/]+)\/([0-9a-f]{64})\/(lines|checkpoints)\/[^/]+$/;

interface Version {
  key: string;
  versionId?: string;
  etag?: string;
}

/**
 * Reads every checkpoint and line batch under the S3 sink's prefix. Each key is read at its oldest
 * version (the one Object Lock protects); a key with several versions or a delete marker is reported,
 * since the writer's credentials can add those but not remove the locked original.
 */
export async function readS3Anchors(options: S3TransportOptions): Promise<AnchorSet> {
  const prefix = options.prefix ?? 'chatops-audit/';
  const source = `s3:${options.bucket}/${prefix}`;
  const { s3, client } = await createS3Client(options);
  const set: AnchorSet = { source, chains: new Map(), problems: [] };
  try {
    const versions = new Map<string, Version[]>();
    const deleted = new Set<string>();
    let keyMarker: string | undefined;
    let versionMarker: string | undefined;
    do {
      const page = await client.send(
        new s3.ListObjectVersionsCommand({
          Bucket: options.bucket,
          Prefix: prefix,
          ...(keyMarker ? { KeyMarker: keyMarker } : {}),
          ...(versionMarker ? { VersionIdMarker: versionMarker } : {}),
        }),
      );
      for (const version of page.Versions ?? []) {
        if (!version.Key) continue;
        const list = versions.get(version.Key) ?? [];
        list.push({
          key: version.Key,
          ...(version.VersionId ? { versionId: version.VersionId } : {}),
          ...(version.ETag ? { etag: version.ETag } : {}),
        });
        versions.set(version.Key, list);
      }
      for (const marker of page.DeleteMarkers ?? []) if (marker.Key) deleted.add(marker.Key);
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
    } while (keyMarker);
    for (const key of deleted) {
      set.problems.push(`${source}: ${key} was deleted (a delete marker); its locked version is still used`);
    }
    for (const [key, list] of versions) {
      // S3 lists the versions of a key newest first.
      const oldest = list.at(-1)!;
      // The same bytes again (a batch re-sent after a crash) is not an overwrite.
      if (new Set(list.map((version) => version.etag)).size > 1) {
        set.problems.push(
          `${source}: ${key} was overwritten (${list.length} versions); only its first version is used`,
        );
      }
      const match = KEY.exec(key.slice(prefix.length));
      if (!match) continue;
      const [, , instance, chain, kind] = match as unknown as [string, string, string, string, string];
      const object = await client.send(
        new s3.GetObjectCommand({
          Bucket: options.bucket,
          Key: key,
          ...(oldest.versionId ? { VersionId: oldest.versionId } : {}),
        }),
      );
      const bytes = Buffer.from((await object.Body?.transformToByteArray()) ?? []);
      const entry = chainEntry(set, instance, chain);
      if (kind === 'checkpoints') {
        const checkpoint = parseCheckpoint(bytes.toString('utf8'));
        if (checkpoint) entry.checkpoints.push({ key, checkpoint });
        else set.problems.push(`${source}: ${key} is not a checkpoint`);
        continue;
      }
      let text: string;
      try {
        text = (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8');
      } catch {
        set.problems.push(`${source}: ${key} is not a readable gzip batch`);
        continue;
      }
      for (const line of text.split('\n')) {
        const seq = seqOf(Buffer.from(line.slice(0, 32), 'latin1'));
        if (seq !== undefined && !entry.lines.has(seq)) entry.lines.set(seq, { line, key });
      }
    }
    for (const entry of set.chains.values()) {
      // By seq, then time: a resume checkpoint repeats the lastSeq of the final one before it.
      entry.checkpoints.sort(
        (a, b) =>
          a.checkpoint.lastSeq - b.checkpoint.lastSeq || a.checkpoint.time.localeCompare(b.checkpoint.time),
      );
    }
    return set;
  } finally {
    client.destroy();
  }
}

function chainEntry(set: AnchorSet, instance: string, chain: string): AnchoredChain {
  const id = `${instance}/${chain}`;
  let entry = set.chains.get(id);
  if (!entry) {
    entry = { instance, chain, checkpoints: [], lines: new Map() };
    set.chains.set(id, entry);
  }
  return entry;
}
