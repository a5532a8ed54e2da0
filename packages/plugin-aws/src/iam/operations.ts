/**
 * The IAM work, with the AWS SDK clients it needs. The commands import this module on first use, so a
 * robot that runs no AWS command does not load the SDK.
 */
export { findUsersWithoutMfa } from './no-mfa.js';
export { notifyLine, notifyUser } from './notify.js';
