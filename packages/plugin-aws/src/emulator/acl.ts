import {
  type AclGrant,
  ALL_GROUPS_URI,
  AUTHENTICATED_USERS_URI,
  type CannedAcl,
  type EmulatedBucket,
  type PublicAccessBlockFlags,
} from './model.js';
import { escapeXml, tag } from './xml.js';

const CANNED_ACLS: Record<CannedAcl, AclGrant[]> = {
  private: [],
  'public-read': [{ grantee: { type: 'Group', uri: ALL_GROUPS_URI }, permission: 'READ' }],
  'public-read-write': [
    { grantee: { type: 'Group', uri: ALL_GROUPS_URI }, permission: 'READ' },
    { grantee: { type: 'Group', uri: ALL_GROUPS_URI }, permission: 'WRITE' },
  ],
  'authenticated-read': [{ grantee: { type: 'Group', uri: AUTHENTICATED_USERS_URI }, permission: 'READ' }],
};

/** True for names of canned ACLs. */
export function isCannedAcl(name: string): name is CannedAcl {
  return Object.hasOwn(CANNED_ACLS, name);
}

/** The owner's FULL_CONTROL grant plus the canned or explicit grants. */
export function grantsFor(ownerId: string, acl: CannedAcl | AclGrant[] = 'private'): AclGrant[] {
  const extra = typeof acl === 'string' ? CANNED_ACLS[acl] : acl;
  return [{ grantee: { type: 'CanonicalUser', id: ownerId }, permission: 'FULL_CONTROL' }, ...extra];
}

function isPublicGrant(grant: AclGrant): boolean {
  return (
    grant.grantee.type === 'Group' &&
    (grant.grantee.uri === ALL_GROUPS_URI || grant.grantee.uri === AUTHENTICATED_USERS_URI)
  );
}

/**
 * The ACL S3 enforces: GetBucketAcl "always returns the effective permissions", so public grants disappear
 * under IgnorePublicAcls and everything but the owner's grant disappears under BucketOwnerEnforced.
 */
export function effectiveGrants(
  bucket: EmulatedBucket,
  ownerId: string,
  effectiveBlock: PublicAccessBlockFlags,
): AclGrant[] {
  if (bucket.ownership === 'BucketOwnerEnforced') return grantsFor(ownerId);
  if (effectiveBlock.IgnorePublicAcls) return bucket.grants.filter((grant) => !isPublicGrant(grant));
  return bucket.grants;
}

/** The `<Grant>` elements of an AccessControlPolicy. */
export function grantsXml(grants: AclGrant[]): string {
  return grants
    .map((grant) => {
      const grantee = grant.grantee;
      const body =
        grantee.type === 'CanonicalUser'
          ? tag('ID', grantee.id)
          : grantee.type === 'Group'
            ? tag('URI', grantee.uri)
            : tag('EmailAddress', grantee.email);
      return (
        `<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="${escapeXml(grantee.type)}">` +
        `${body}</Grantee>${tag('Permission', grant.permission)}</Grant>`
      );
    })
    .join('');
}
