import {
  GetBucketAclCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyStatusCommand,
  GetPublicAccessBlockCommand,
  type Grant,
  type S3Client,
} from '@aws-sdk/client-s3';
import { AwsCallError, awsCall, isFatal, shortReason } from '../aws-errors.js';
import type { AwsOperation } from '../permissions.js';
import { type Fact, known, unknown } from './fact.js';
import { type BlockFlags, type BucketFacts, NO_BLOCK } from './verdict.js';

/** Thrown when a bucket disappeared between listing and checking. */
export class BucketGone extends Error {
  override name = 'BucketGone';
}

const PUBLIC_GROUPS: Record<string, string> = {
  'http://acs.amazonaws.com/groups/global/AllUsers': 'AllUsers',
  'http://acs.amazonaws.com/groups/global/AuthenticatedUsers': 'AuthenticatedUsers',
};

/** `READ to AllUsers` for each grant to a public group. */
export function describePublicGrants(grants: Grant[] = []): string[] {
  const described: string[] = [];
  for (const grant of grants) {
    const group = grant.Grantee?.Type === 'Group' ? PUBLIC_GROUPS[grant.Grantee.URI ?? ''] : undefined;
    if (group) described.push(`${grant.Permission ?? 'access'} to ${group}`);
  }
  return described;
}

/** Fills unset flags with false. */
export function toBlockFlags(flags: Partial<Record<keyof BlockFlags, boolean>> | undefined): BlockFlags {
  return {
    BlockPublicAcls: flags?.BlockPublicAcls === true,
    IgnorePublicAcls: flags?.IgnorePublicAcls === true,
    BlockPublicPolicy: flags?.BlockPublicPolicy === true,
    RestrictPublicBuckets: flags?.RestrictPublicBuckets === true,
  };
}

/**
 * Runs one read; the "not configured" error becomes `absent`, a vanished bucket throws BucketGone, credential
 * and network failures propagate (they end the scan) and anything else becomes an unknown fact.
 */
export async function readFact<T>(
  operation: AwsOperation,
  call: () => Promise<T>,
  absentCode: string,
  absent: T,
): Promise<Fact<T>> {
  try {
    return known(await awsCall(operation, call));
  } catch (error) {
    if (!(error instanceof AwsCallError)) throw error;
    if (error.code === absentCode) return known(absent);
    if (error.code === 'NoSuchBucket') throw new BucketGone(error.message);
    if (isFatal(error)) throw error;
    return unknown(shortReason(error));
  }
}

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= load();
    return value;
  };
}

/** Runs one AWS call when a slot is free (a scan's shared limit on calls in flight). */
export type CallSlot = <T>(call: () => Promise<T>) => Promise<T>;

/** No limit: the call runs at once. */
export const unlimited: CallSlot = (call) => call();

/**
 * The facts of one bucket, each read at most once and only when the verdict asks for it. Every call
 * waits for a slot from `slot`, so the calls of all buckets together stay within one limit.
 */
export function bucketFacts(client: S3Client, bucket: string, slot: CallSlot = unlimited): BucketFacts {
  const Bucket = bucket;
  return {
    blockFlags: once(async () => {
      const fact = await readFact(
        'GetPublicAccessBlock',
        () => slot(() => client.send(new GetPublicAccessBlockCommand({ Bucket }))),
        'NoSuchPublicAccessBlockConfiguration',
        undefined,
      );
      return fact.known ? known(toBlockFlags(fact.value?.PublicAccessBlockConfiguration)) : fact;
    }),
    policyIsPublic: once(async () => {
      const fact = await readFact(
        'GetBucketPolicyStatus',
        () => slot(() => client.send(new GetBucketPolicyStatusCommand({ Bucket }))),
        'NoSuchBucketPolicy',
        undefined,
      );
      return fact.known ? known(fact.value?.PolicyStatus?.IsPublic === true) : fact;
    }),
    ownershipEnforced: once(async () => {
      const fact = await readFact(
        'GetBucketOwnershipControls',
        () => slot(() => client.send(new GetBucketOwnershipControlsCommand({ Bucket }))),
        'OwnershipControlsNotFoundError',
        undefined,
      );
      if (!fact.known) return fact;
      const rules = fact.value?.OwnershipControls?.Rules ?? [];
      return known(rules.some((rule) => rule.ObjectOwnership === 'BucketOwnerEnforced'));
    }),
    publicGrants: once(async () => {
      const fact = await readFact(
        'GetBucketAcl',
        () => slot(() => client.send(new GetBucketAclCommand({ Bucket }))),
        '',
        undefined,
      );
      return fact.known ? known(describePublicGrants(fact.value?.Grants)) : fact;
    }),
  };
}

export { NO_BLOCK };
