/** The AWS API operations the plugin calls. */
export type AwsOperation =
  | 'GetCallerIdentity'
  | 'AssumeRole'
  | 'ListBuckets'
  | 'GetBucketLocation'
  | 'GetAccountPublicAccessBlock'
  | 'GetPublicAccessBlock'
  | 'GetBucketPolicyStatus'
  | 'GetBucketOwnershipControls'
  | 'GetBucketAcl'
  | 'PutPublicAccessBlock'
  | 'GenerateCredentialReport'
  | 'GetCredentialReport'
  | 'ListUsers'
  | 'ListMFADevices'
  | 'GetLoginProfile'
  | 'ListUserTags';

/** The IAM action each operation is authorized by (names differ: GetPublicAccessBlock → s3:GetBucketPublicAccessBlock). */
export const REQUIRED_PERMISSION: Record<AwsOperation, string> = {
  GetCallerIdentity: 'sts:GetCallerIdentity',
  AssumeRole: 'sts:AssumeRole',
  ListBuckets: 's3:ListAllMyBuckets',
  GetBucketLocation: 's3:GetBucketLocation',
  GetAccountPublicAccessBlock: 's3:GetAccountPublicAccessBlock',
  GetPublicAccessBlock: 's3:GetBucketPublicAccessBlock',
  GetBucketPolicyStatus: 's3:GetBucketPolicyStatus',
  GetBucketOwnershipControls: 's3:GetBucketOwnershipControls',
  GetBucketAcl: 's3:GetBucketAcl',
  PutPublicAccessBlock: 's3:PutBucketPublicAccessBlock',
  GenerateCredentialReport: 'iam:GenerateCredentialReport',
  GetCredentialReport: 'iam:GetCredentialReport',
  ListUsers: 'iam:ListUsers',
  ListMFADevices: 'iam:ListMFADevices',
  GetLoginProfile: 'iam:GetLoginProfile',
  ListUserTags: 'iam:ListUserTags',
};

/** How an operation is shown to people (the account-level block is an S3 Control call). */
export function operationLabel(operation: AwsOperation): string {
  return operation === 'GetAccountPublicAccessBlock' ? 'S3 Control GetPublicAccessBlock' : operation;
}
