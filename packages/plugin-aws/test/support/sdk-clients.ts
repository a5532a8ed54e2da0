import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsEmulator, EmulatorCredentials } from '../../src/emulator/index.js';

/** Real SDK clients pointed at the emulator, without retries unless asked. */
export function sdkClients(
  emulator: AwsEmulator,
  options: {
    region?: string;
    credentials?: EmulatorCredentials;
    maxAttempts?: number;
    followRegionRedirects?: boolean;
  } = {},
) {
  const base = {
    region: options.region ?? 'us-east-1',
    endpoint: emulator.endpoint,
    credentials: options.credentials ?? emulator.credentials,
    maxAttempts: options.maxAttempts ?? 1,
  };
  return {
    s3: new S3Client({
      ...base,
      forcePathStyle: true,
      followRegionRedirects: options.followRegionRedirects ?? false,
    }),
    s3control: new S3ControlClient({
      region: base.region,
      credentials: base.credentials,
      maxAttempts: base.maxAttempts,
      endpointProvider: () => ({ url: new URL(`${emulator.endpoint}/`) }),
    }),
    iam: new IAMClient(base),
    sts: new STSClient(base),
  };
}
