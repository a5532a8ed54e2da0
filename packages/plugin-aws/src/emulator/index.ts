/**
 * A local AWS emulator for tests and benchmarks: S3 REST (path-style), S3 Control, IAM and STS, driven by the
 * real AWS SDK v3 clients pointed at `emulator.endpoint`.
 */
export { EmulatedAccount } from './account.js';
export { CREDENTIAL_REPORT_COLUMNS } from './credential-report.js';
export { DEMO_PROD_ACCOUNT, seedDemo } from './demo.js';
export type { FaultScope } from './faults.js';
export type {
  AclGrant,
  AclGrantee,
  AclPermission,
  BucketInit,
  CannedAcl,
  EmulatedBucket,
  EmulatedObjectVersion,
  EmulatedRole,
  EmulatedUser,
  ObjectOwnership,
  ObjectRetention,
  PublicAccessBlockFlags,
  UserInit,
} from './model.js';
export { ALL_GROUPS_URI, AUTHENTICATED_USERS_URI } from './model.js';
export {
  AwsEmulator,
  type AwsEmulatorOptions,
  type EmulatorCredentials,
  startAwsEmulator,
} from './server.js';
