import { PutPublicAccessBlockCommand } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { awsCall } from '../aws-errors.js';
import type { AwsSession } from '../aws-session.js';
import { mapLimit } from '../concurrency.js';
import { type BucketFinding, type BucketRef, checkBucket, readAccountBlock } from './scan.js';

/** PutPublicAccessBlock with all four flags on, in the bucket's region. */
export async function blockPublicAccess(session: AwsSession, bucket: BucketRef): Promise<void> {
  await awsCall('PutPublicAccessBlock', () =>
    session.s3(bucket.region).send(
      new PutPublicAccessBlockCommand({
        Bucket: bucket.name,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      }),
    ),
  );
}

/** Judges buckets again (account block re-read once), e.g. after blocking them. */
export async function recheckBuckets(
  session: AwsSession,
  buckets: BucketRef[],
): Promise<Map<string, BucketFinding | 'gone'>> {
  const { accountId } = await session.identity();
  const accountBlock = await readAccountBlock(session, accountId);
  const slot = pLimit(session.account.concurrency);
  const findings = await mapLimit(buckets, session.account.concurrency, (bucket) =>
    checkBucket(session, accountBlock, bucket, slot),
  );
  return new Map(buckets.map((bucket, index) => [bucket.name, findings[index]!]));
}
