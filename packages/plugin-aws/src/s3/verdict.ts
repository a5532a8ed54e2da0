import { and, type Fact, not, or, type Tri, tri } from './fact.js';

/** The four Block Public Access flags. */
export interface BlockFlags {
  BlockPublicAcls: boolean;
  IgnorePublicAcls: boolean;
  BlockPublicPolicy: boolean;
  RestrictPublicBuckets: boolean;
}

export const NO_BLOCK: BlockFlags = {
  BlockPublicAcls: false,
  IgnorePublicAcls: false,
  BlockPublicPolicy: false,
  RestrictPublicBuckets: false,
};

const FLAGS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;

/** What the verdict may ask about one bucket; each is fetched only when the answer still matters. */
export interface BucketFacts {
  blockFlags(): Promise<Fact<BlockFlags>>;
  policyIsPublic(): Promise<Fact<boolean>>;
  ownershipEnforced(): Promise<Fact<boolean>>;
  /** Public ACL grants, described (`READ to AllUsers`); empty when none. */
  publicGrants(): Promise<Fact<string[]>>;
}

/** Whether a bucket is public, following AWS's rule. */
export type BucketStatus = 'public' | 'not-public' | 'unknown';

export interface BucketVerdict {
  status: BucketStatus;
  /** Why it is public, or what could not be checked. */
  reasons: string[];
  /** Not all four flags are on (effective): a new public policy or ACL could make it public. */
  couldBecomePublic: boolean;
}

function flag(account: Fact<BlockFlags>, bucket: Fact<BlockFlags>, name: (typeof FLAGS)[number]): Tri {
  const fromAccount: Tri = account.known ? account.value[name] : { unknown: account.reason };
  const fromBucket: Tri = bucket.known ? bucket.value[name] : { unknown: bucket.reason };
  return or(fromAccount, fromBucket);
}

/**
 * public = (policy public AND NOT RestrictPublicBuckets) OR (ACL public AND NOT IgnorePublicAcls AND ACLs enabled),
 * with account and bucket flags OR-ed, in three-valued logic: a denied call that could change the answer
 * makes the bucket unknown, never silently private.
 */
export async function judgeBucket(
  accountBlock: Fact<BlockFlags>,
  facts: BucketFacts,
): Promise<BucketVerdict> {
  const bucketBlock = await facts.blockFlags();
  const restrict = flag(accountBlock, bucketBlock, 'RestrictPublicBuckets');
  const ignore = flag(accountBlock, bucketBlock, 'IgnorePublicAcls');
  const couldBecomePublic = !FLAGS.every((name) => flag(accountBlock, bucketBlock, name) === true);

  const policyPublic =
    restrict === true
      ? false
      : neutralised(
          tri(await facts.policyIsPublic()),
          restrict,
          'bucket policy is public',
          'RestrictPublicBuckets',
        );

  let aclPublic: Tri = false;
  let grants: string[] = [];
  const ownership = ignore === true ? undefined : await facts.ownershipEnforced();
  // GetBucketAcl answers the effective ACL (owner only when ACLs are disabled), so an unreadable ownership
  // setting costs only the shortcut, not the verdict.
  if (ownership && !(ownership.known && ownership.value)) {
    const fact = await facts.publicGrants();
    if (fact.known) grants = fact.value;
    const hasGrants: Tri = fact.known ? grants.length > 0 : { unknown: fact.reason };
    aclPublic = neutralised(hasGrants, ignore, `ACL grants ${grants.join(', ')}`, 'IgnorePublicAcls');
  }

  const verdict = or(policyPublic, aclPublic);
  if (verdict === true) {
    const reasons: string[] = [];
    if (policyPublic === true) reasons.push('bucket policy is public');
    if (aclPublic === true) reasons.push(...grants.map((grant) => `ACL grants ${grant}`));
    return { status: 'public', reasons, couldBecomePublic };
  }
  if (verdict === false) return { status: 'not-public', reasons: [], couldBecomePublic };
  const reasons: string[] = [];
  for (const part of [policyPublic, aclPublic]) {
    if (typeof part === 'object' && !reasons.includes(part.unknown)) reasons.push(part.unknown);
  }
  return { status: 'unknown', reasons, couldBecomePublic };
}

/** `exposed AND NOT flag`, explaining an exposure that only an unreadable flag could neutralise. */
function neutralised(exposed: Tri, flagValue: Tri, exposure: string, flagName: string): Tri {
  if (exposed === true && typeof flagValue === 'object') {
    return { unknown: `${exposure} unless ${flagName} is on (${flagValue.unknown})` };
  }
  return and(exposed, not(flagValue));
}
