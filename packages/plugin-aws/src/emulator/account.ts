import { grantsFor } from './acl.js';
import type {
  BucketInit,
  CredentialReportState,
  EmulatedBucket,
  EmulatedRole,
  EmulatedUser,
  PublicAccessBlockFlags,
  UserInit,
} from './model.js';

const NO_BLOCK: PublicAccessBlockFlags = {
  BlockPublicAcls: false,
  IgnorePublicAcls: false,
  BlockPublicPolicy: false,
  RestrictPublicBuckets: false,
};

/** Fills unset flags with `false`. */
export function blockFlags(flags: Partial<PublicAccessBlockFlags> = {}): PublicAccessBlockFlags {
  return { ...NO_BLOCK, ...flags };
}

/** Bucket names are global in S3; accounts register theirs here. */
export interface BucketRegistry {
  get(name: string): EmulatedBucket | undefined;
  set(name: string, bucket: EmulatedBucket): void;
}

let idCounter = 0;
function uniqueId(prefix: string): string {
  idCounter += 1;
  return `${prefix}${idCounter.toString(36).toUpperCase().padStart(17, '0')}`;
}

/** One emulated AWS account: its buckets, account-level Block Public Access, IAM users and roles. */
export class EmulatedAccount {
  /** Canonical user id that owns the account's buckets. */
  readonly canonicalId: string;
  /** Account-level (S3 Control) Block Public Access; absent means "no configuration". */
  publicAccessBlock?: PublicAccessBlockFlags;
  /** Whether the root user has MFA (the report's first row). */
  rootMfa = true;
  credentialReport?: CredentialReportState;
  private readonly bucketsByName = new Map<string, EmulatedBucket>();
  private readonly usersByName = new Map<string, EmulatedUser>();
  private readonly rolesByName = new Map<string, EmulatedRole>();

  constructor(
    readonly id: string,
    private readonly registry: BucketRegistry,
    private readonly now: () => Date,
  ) {
    this.canonicalId = `${id}`.padEnd(64, 'c');
  }

  /** Creates a bucket; throws when the (global) name is taken. */
  addBucket(init: BucketInit): EmulatedBucket {
    if (this.registry.get(init.name)) throw new Error(`bucket ${init.name} already exists`);
    const bucket: EmulatedBucket = {
      name: init.name,
      accountId: this.id,
      region: init.region ?? 'us-east-1',
      createdAt: init.createdAt ?? this.now(),
      legacyLocation: init.legacyLocation ?? false,
      grants: grantsFor(this.canonicalId, init.acl),
      objectLock: init.objectLock ?? false,
      objects: new Map(),
    };
    if (init.publicAccessBlock) bucket.publicAccessBlock = blockFlags(init.publicAccessBlock);
    if (init.policy !== undefined) {
      bucket.policy = typeof init.policy === 'string' ? init.policy : JSON.stringify(init.policy);
    }
    if (init.ownership) bucket.ownership = init.ownership;
    this.registry.set(bucket.name, bucket);
    this.bucketsByName.set(bucket.name, bucket);
    return bucket;
  }

  bucket(name: string): EmulatedBucket | undefined {
    return this.bucketsByName.get(name);
  }

  /** The account's buckets, sorted by name as ListBuckets returns them. */
  buckets(): EmulatedBucket[] {
    return [...this.bucketsByName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Sets (or with `undefined` removes) the account-level Block Public Access. */
  setPublicAccessBlock(flags: Partial<PublicAccessBlockFlags> | undefined): void {
    this.publicAccessBlock = flags ? blockFlags(flags) : undefined;
  }

  /** Account and bucket flags combined: the most restrictive wins. */
  effectiveBlock(bucket: EmulatedBucket): PublicAccessBlockFlags {
    const account = this.publicAccessBlock ?? NO_BLOCK;
    const own = bucket.publicAccessBlock ?? NO_BLOCK;
    return {
      BlockPublicAcls: account.BlockPublicAcls || own.BlockPublicAcls,
      IgnorePublicAcls: account.IgnorePublicAcls || own.IgnorePublicAcls,
      BlockPublicPolicy: account.BlockPublicPolicy || own.BlockPublicPolicy,
      RestrictPublicBuckets: account.RestrictPublicBuckets || own.RestrictPublicBuckets,
    };
  }

  /** Creates an IAM user. */
  addUser(init: UserInit): EmulatedUser {
    if (this.usersByName.has(init.name)) throw new Error(`user ${init.name} already exists`);
    const createdAt = init.createdAt ?? this.now();
    const path = init.path ?? '/';
    const mfaCount = init.mfa === true ? 1 : typeof init.mfa === 'number' ? init.mfa : 0;
    const user: EmulatedUser = {
      name: init.name,
      id: uniqueId('AIDA'),
      arn: `arn:aws:iam::${this.id}:user${path}${init.name}`,
      path,
      createdAt,
      mfaDevices: [],
      tags: { ...init.tags },
      accessKeys: Array.from({ length: init.accessKeys ?? 0 }, () => ({
        id: uniqueId('AKIA'),
        active: true,
        createdAt,
      })),
    };
    if (init.password) {
      user.password = { createdAt, resetRequired: false };
      if (init.passwordLastUsed) user.password.lastUsedAt = init.passwordLastUsed;
    }
    this.usersByName.set(user.name, user);
    for (let index = 0; index < mfaCount; index += 1) this.enableMfa(user.name);
    return user;
  }

  user(name: string): EmulatedUser | undefined {
    return this.usersByName.get(name);
  }

  /** Users in creation order. */
  users(): EmulatedUser[] {
    return [...this.usersByName.values()];
  }

  /** Adds a virtual MFA device to a user. */
  enableMfa(userName: string): void {
    const user = this.requireUser(userName);
    const suffix = user.mfaDevices.length ? `-${user.mfaDevices.length + 1}` : '';
    user.mfaDevices.push({
      serialNumber: `arn:aws:iam::${this.id}:mfa/${userName}${suffix}`,
      enabledAt: this.now(),
    });
  }

  /** Creates a role that STS AssumeRole accepts (optionally only with `externalId`). */
  addRole(init: { name: string; externalId?: string }): EmulatedRole {
    const role: EmulatedRole = {
      name: init.name,
      arn: `arn:aws:iam::${this.id}:role/${init.name}`,
      id: uniqueId('AROA'),
    };
    if (init.externalId !== undefined) role.externalId = init.externalId;
    this.rolesByName.set(role.name, role);
    return role;
  }

  role(name: string): EmulatedRole | undefined {
    return this.rolesByName.get(name);
  }

  private requireUser(name: string): EmulatedUser {
    const user = this.usersByName.get(name);
    if (!user) throw new Error(`no user ${name}`);
    return user;
  }
}
