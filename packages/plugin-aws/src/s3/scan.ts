import { GetBucketLocationCommand, paginateListBuckets } from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import pLimit from 'p-limit';
import { AwsCallError, awsCall, isFatal } from '../aws-errors.js';
import type { AwsSession } from '../aws-session.js';
import { mapLimit } from '../concurrency.js';
import { BucketGone, bucketFacts, type CallSlot, readFact, toBlockFlags, unlimited } from './bucket-facts.js';
import { type Fact, known } from './fact.js';
import { type BlockFlags, type BucketStatus, type BucketVerdict, judgeBucket, NO_BLOCK } from './verdict.js';

/** A bucket and the region it lives in. */
export interface BucketRef {
  name: string;
  region: string;
}

/** One bucket's verdict. */
export interface BucketFinding extends BucketRef, BucketVerdict {}

/** Buckets per verdict. */
export type StatusCounts = Record<BucketStatus | 'gone', number>;

/** The outcome of one account scan. */
export interface S3ScanResult {
  accountName: string;
  accountId: string;
  accountBlock: Fact<BlockFlags>;
  /** Account-level IgnorePublicAcls and RestrictPublicBuckets: no bucket can be public. */
  blockedAtAccountLevel: boolean;
  /** Buckets listed. */
  total: number;
  /** Public and unknown buckets (not-public ones are only counted). */
  findings: BucketFinding[];
  counts: StatusCounts;
  /** Buckets where not all four flags are on. */
  couldBecomePublic: number;
  checkedAt: number;
}

export interface S3ScanOptions {
  /** S3 calls in flight at most, over all buckets together. */
  concurrency: number;
  signal?: AbortSignal;
  /** Called once the buckets are listed, before they are checked. */
  onListed?(total: number): Promise<void> | void;
  /** Called after each bucket is checked. */
  onProgress?(checked: number, total: number): void;
  now?: () => number;
}

/** `undefined`/empty → us-east-1 and `EU` → eu-west-1, as S3 reports locations. */
export function normalizeLocation(location: string | undefined): string {
  if (!location) return 'us-east-1';
  return location === 'EU' ? 'eu-west-1' : location;
}

/** The account-level Block Public Access (S3 Control), "none" when not configured. */
export async function readAccountBlock(session: AwsSession, accountId: string): Promise<Fact<BlockFlags>> {
  const fact = await readFact(
    'GetAccountPublicAccessBlock',
    () => session.s3control().send(new GetPublicAccessBlockCommand({ AccountId: accountId })),
    'NoSuchPublicAccessBlockConfiguration',
    undefined,
  );
  return fact.known ? known(toBlockFlags(fact.value?.PublicAccessBlockConfiguration)) : fact;
}

/** Lists every bucket (paginated, with BucketRegion where S3 gives it). */
export async function listBuckets(session: AwsSession): Promise<{ name: string; region?: string }[]> {
  const buckets: { name: string; region?: string }[] = [];
  await awsCall('ListBuckets', async () => {
    for await (const page of paginateListBuckets({ client: session.s3(), pageSize: 1000 }, {})) {
      for (const bucket of page.Buckets ?? []) {
        if (bucket.Name)
          buckets.push({
            name: bucket.Name,
            ...(bucket.BucketRegion ? { region: bucket.BucketRegion } : {}),
          });
      }
    }
  });
  return buckets;
}

/** The bucket's region: from the listing, else GetBucketLocation, else the default (redirects are followed). */
export async function regionOf(
  session: AwsSession,
  bucket: { name: string; region?: string },
  slot: CallSlot = unlimited,
): Promise<string> {
  if (bucket.region) return bucket.region;
  try {
    const answer = await awsCall('GetBucketLocation', () =>
      slot(() => session.s3().send(new GetBucketLocationCommand({ Bucket: bucket.name }))),
    );
    return normalizeLocation(answer.LocationConstraint);
  } catch (error) {
    if (error instanceof AwsCallError && error.code === 'NoSuchBucket') throw new BucketGone(error.message);
    if (error instanceof AwsCallError && isFatal(error)) throw error;
    // Unknown region: the default client follows S3's region redirect.
    return session.account.region;
  }
}

/** Judges one bucket in its own region; each S3 call waits for a slot from `slot`. */
export async function checkBucket(
  session: AwsSession,
  accountBlock: Fact<BlockFlags>,
  bucket: { name: string; region?: string },
  slot: CallSlot = unlimited,
): Promise<BucketFinding | 'gone'> {
  try {
    const region = await regionOf(session, bucket, slot);
    const verdict = await judgeBucket(accountBlock, bucketFacts(session.s3(region), bucket.name, slot));
    return { name: bucket.name, region, ...verdict };
  } catch (error) {
    if (error instanceof BucketGone) return 'gone';
    throw error;
  }
}

/** Scans every bucket of the account with AWS's public rule; credential and network failures throw. */
export async function scanS3(session: AwsSession, options: S3ScanOptions): Promise<S3ScanResult> {
  const now = options.now ?? Date.now;
  const { accountId } = await session.identity();
  const accountBlock = await readAccountBlock(session, accountId);
  const counts: StatusCounts = { public: 0, 'not-public': 0, unknown: 0, gone: 0 };
  const base = {
    accountName: session.name,
    accountId,
    accountBlock,
    counts,
    findings: [] as BucketFinding[],
  };
  const flags = accountBlock.known ? accountBlock.value : NO_BLOCK;
  if (flags.IgnorePublicAcls && flags.RestrictPublicBuckets) {
    return { ...base, blockedAtAccountLevel: true, total: 0, couldBecomePublic: 0, checkedAt: now() };
  }
  const buckets = await listBuckets(session);
  await options.onListed?.(buckets.length);
  let checked = 0;
  let couldBecomePublic = 0;
  // A bucket's checks run in parallel; the one limit on calls keeps the total within `concurrency`.
  const slot: CallSlot = pLimit(options.concurrency);
  const results = await mapLimit(
    buckets,
    options.concurrency,
    async (bucket) => {
      const finding = await checkBucket(session, accountBlock, bucket, slot);
      checked += 1;
      options.onProgress?.(checked, buckets.length);
      return finding;
    },
    options.signal,
  );
  for (const finding of results) {
    if (finding === 'gone') {
      counts.gone += 1;
      continue;
    }
    counts[finding.status] += 1;
    if (finding.couldBecomePublic) couldBecomePublic += 1;
    if (finding.status !== 'not-public') base.findings.push(finding);
  }
  base.findings.sort((a, b) => statusRank(a.status) - statusRank(b.status) || a.name.localeCompare(b.name));
  return {
    ...base,
    blockedAtAccountLevel: false,
    total: buckets.length,
    couldBecomePublic,
    checkedAt: now(),
  };
}

function statusRank(status: BucketStatus): number {
  return status === 'public' ? 0 : status === 'unknown' ? 1 : 2;
}
