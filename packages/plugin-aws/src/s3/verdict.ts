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
  // The policy and ACL paths are independent once the flags are known: ask both at once.
  const [policyPublic, acl] = await Promise.all([policyPath(facts, restrict), aclPath(facts, ignore)]);
  const aclPublic = acl.public;

  const verdict = or(policyPublic, aclPublic);
  if (verdict === true) {
    const reasons: string[] = [];
    if (policyPublic === true) reasons.push('bucket policy is public');
    if (aclPublic === true) reasons.push(...acl.grants.map((grant) => `ACL grants ${grant}`));
    return { status: 'public', reasons, couldBecomePublic };
  }
  if (verdict === false) return { status: 'not-public', reasons: [], couldBecomePublic };
  const reasons: string[] = [];
  for (const part of [policyPublic, aclPublic]) {
    if (typeof part === 'object' && !reasons.includes(part.unknown)) reasons.push(part.unknown);
  }
  return { status: 'unknown', reasons, couldBecomePublic };
}

async function policyPath(facts: BucketFacts, restrict: Tri): Promise<Tri> {
  if (restrict === true) return false;
  const policy = tri(await facts.policyIsPublic());
  return neutralised(policy, restrict, 'bucket policy is public', 'RestrictPublicBuckets');
}

async function aclPath(facts: BucketFacts, ignore: Tri): Promise<{ public: Tri; grants: string[] }> {
  if (ignore === true) return { public: false, grants: [] };
  // GetBucketAcl answers the effective ACL (owner only when ACLs are disabled), so an unreadable ownership
  // setting costs only the shortcut, not the verdict.
  const ownership = await facts.ownershipEnforced();
  if (ownership.known && ownership.value) return { public: false, grants: [] };
  const fact = await facts.publicGrants();
  const grants = fact.known ? fact.value : [];
  const hasGrants: Tri = fact.known ? grants.length > 0 : { unknown: fact.reason };
  return {
    public: neutralised(hasGrants, ignore, `ACL grants ${grants.join(', ')}`, 'IgnorePublicAcls'),
    grants,
  };
}

/** `exposed AND NOT flag`, explaining an exposure that only an unreadable flag could neutralise. */
function neutralised(exposed: Tri, flagValue: Tri, exposure: string, flagName: string): Tri {
  if (exposed === true && typeof flagValue === 'object') {
    return { unknown: `${exposure} unless ${flagName} is on (${flagValue.unknown})` };
  }
  return and(exposed, not(flagValue));
}
