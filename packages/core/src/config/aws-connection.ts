import { z } from 'zod';

/** Static AWS keys (prefer the default credential chain; use `${VAR}` to keep them out of the file). */
export const awsCredentialsSchema = z.strictObject({
  accessKeyId: z.string().min(1),
  secretAccessKey: z.string().min(1),
  sessionToken: z.string().min(1).optional(),
});

/** Static AWS keys as configured. */
export type AwsCredentials = z.output<typeof awsCredentialsSchema>;

/**
 * The fields of a config block that connects to AWS, as the audit log's S3 sink reads them; spread
 * into an object schema. An empty `endpoint` means AWS itself (so `${AWS_ENDPOINT:-}` can leave it out).
 *
 * @example
 * const accountSchema = z.strictObject({ ...awsConnectionShape, roleArn: z.string().optional() });
 */
export const awsConnectionShape = {
  /** Region for the calls (and for buckets whose region is unknown). */
  region: z.string().min(1).optional(),
  /** Custom endpoint for every service (LocalStack, S3-compatible stores, tests); empty means AWS. */
  endpoint: z.union([z.url(), z.literal('').transform(() => undefined)]).optional(),
  /** Path-style S3 URLs (`endpoint/bucket`); default on with a custom endpoint, off for AWS. */
  forcePathStyle: z.boolean().optional(),
  /** A profile from ~/.aws/config and ~/.aws/credentials instead of the default chain. */
  profile: z.string().min(1).optional(),
  credentials: awsCredentialsSchema.optional(),
};
