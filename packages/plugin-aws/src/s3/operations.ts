/**
 * The S3 work, with the AWS SDK clients it needs. The commands import this module on first use, so a
 * robot that runs no AWS command does not load the SDK (about half a second and 20 MB at start).
 */
export { blockPublicAccess, recheckBuckets } from './block.js';
export { BucketGone } from './bucket-facts.js';
export { regionOf, scanS3 } from './scan.js';
