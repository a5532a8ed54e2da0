/** The four Block Public Access flags. */
export interface PublicAccessBlockFlags {
  BlockPublicAcls: boolean;
  IgnorePublicAcls: boolean;
  BlockPublicPolicy: boolean;
  RestrictPublicBuckets: boolean;
}

/** S3 Object Ownership settings; `BucketOwnerEnforced` disables ACLs. */
export type ObjectOwnership = 'BucketOwnerEnforced' | 'BucketOwnerPreferred' | 'ObjectWriter';

/** ACL permissions S3 knows. */
export type AclPermission = 'FULL_CONTROL' | 'WRITE' | 'WRITE_ACP' | 'READ' | 'READ_ACP';

/** Who an ACL grant is for. */
export type AclGrantee =
  | { type: 'CanonicalUser'; id: string }
  | { type: 'Group'; uri: string }
  | { type: 'AmazonCustomerByEmail'; email: string };

/** One ACL grant. */
export interface AclGrant {
  grantee: AclGrantee;
  permission: AclPermission;
}

/** Canned ACLs understood by `addBucket` and `PutBucketAcl` (`x-amz-acl`). */
export type CannedAcl = 'private' | 'public-read' | 'public-read-write' | 'authenticated-read';

/** A bucket as the emulator keeps it. */
export interface EmulatedBucket {
  name: string;
  accountId: string;
  region: string;
  createdAt: Date;
  /** Answer `EU` to GetBucketLocation (legacy eu-west-1 buckets). */
  legacyLocation: boolean;
  publicAccessBlock?: PublicAccessBlockFlags;
  /** Bucket policy JSON text. */
  policy?: string;
  /** The stored ACL (GetBucketAcl answers the effective one). */
  grants: AclGrant[];
  ownership?: ObjectOwnership;
  /** Created with Object Lock enabled (which also turns versioning on). */
  objectLock: boolean;
  /** Objects by key: every version, oldest first (a delete marker is a version without a body). */
  objects: Map<string, EmulatedObjectVersion[]>;
}

/** Object Lock retention of one object version. */
export interface ObjectRetention {
  mode: 'GOVERNANCE' | 'COMPLIANCE';
  retainUntil: Date;
}

/** One version of an object, or a delete marker. */
export interface EmulatedObjectVersion {
  versionId: string;
  lastModified: Date;
  deleteMarker: boolean;
  body: Buffer;
  etag: string;
  contentType?: string;
  contentEncoding?: string;
  retention?: ObjectRetention;
}

/** What `addBucket` accepts. */
export interface BucketInit {
  name: string;
  /** Defaults to `us-east-1`. */
  region?: string;
  createdAt?: Date;
  legacyLocation?: boolean;
  publicAccessBlock?: Partial<PublicAccessBlockFlags>;
  /** A policy document (object or JSON text); `GetBucketPolicyStatus` evaluates it. */
  policy?: object | string;
  /** A canned ACL or explicit extra grants (the owner's FULL_CONTROL is always added). */
  acl?: CannedAcl | AclGrant[];
  ownership?: ObjectOwnership;
  /** Enable Object Lock (and versioning), as `CreateBucket` with `x-amz-bucket-object-lock-enabled`. */
  objectLock?: boolean;
}

/** An MFA device of an emulated user. */
export interface EmulatedMfaDevice {
  serialNumber: string;
  enabledAt: Date;
}

/** An access key of an emulated user (metadata only). */
export interface EmulatedAccessKey {
  id: string;
  active: boolean;
  createdAt: Date;
  lastUsedAt?: Date;
}

/** An IAM user as the emulator keeps it. */
export interface EmulatedUser {
  name: string;
  id: string;
  arn: string;
  path: string;
  createdAt: Date;
  /** Console password, when the user has one. */
  password?: { createdAt: Date; lastUsedAt?: Date; resetRequired: boolean };
  mfaDevices: EmulatedMfaDevice[];
  tags: Record<string, string>;
  accessKeys: EmulatedAccessKey[];
}

/** What `addUser` accepts. */
export interface UserInit {
  name: string;
  path?: string;
  createdAt?: Date;
  /** Has a console password (a login profile). */
  password?: boolean;
  passwordLastUsed?: Date;
  /** Number of MFA devices, or `true` for one. */
  mfa?: boolean | number;
  tags?: Record<string, string>;
  /** Number of active access keys. */
  accessKeys?: number;
}

/** An IAM role that STS AssumeRole can assume. */
export interface EmulatedRole {
  name: string;
  arn: string;
  id: string;
  /** When set, AssumeRole must pass exactly this ExternalId. */
  externalId?: string;
}

/** Credentials the emulator accepts, and whom they belong to. */
export interface EmulatedAccessKeyPair {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  accountId: string;
  /** The caller's ARN (a user or an assumed-role session). */
  arn: string;
  userId: string;
  expiresAt?: Date;
  /** Forced expiry for tests of expired credentials. */
  expired?: boolean;
}

/** A generated credential report. */
export interface CredentialReportState {
  generatedAt: Date;
  csv: string;
  /** Generate calls still to answer INPROGRESS before the report is ready. */
  pollsLeft: number;
}

export const ALL_GROUPS_URI = 'http://acs.amazonaws.com/groups/global/AllUsers';
export const AUTHENTICATED_USERS_URI = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
