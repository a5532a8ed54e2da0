import type { ChatopsConfigInput } from '@chatops/core';
import { createTestBot, type TestBot } from '@chatops/core/testing';
import type { AwsEmulator } from '../../src/emulator/index.js';
import awsPlugin, { type AwsConfigInput } from '../../src/index.js';

/** Plugin config pointing every client at the emulator, with instant report polls and no retries. */
export function emulatorConfig(emulator: AwsEmulator, extra: Partial<AwsConfigInput> = {}): AwsConfigInput {
  return {
    endpoint: emulator.endpoint,
    forcePathStyle: true,
    credentials: emulator.credentials,
    retry: { maxAttempts: 1 },
    ...extra,
    iam: { reportPollInterval: 1, ...extra.iam },
  };
}

/** alice is an SRE allowed to run aws.* write actions; bob may only read. */
export const SRE_AUTH: ChatopsConfigInput['auth'] = {
  roles: { sre: ['shell:alice'] },
  rules: [{ allow: ['aws.s3.block-public-access*', 'aws.iam.notify*'], roles: ['sre'] }],
};

export async function awsBot(
  emulator: AwsEmulator,
  extra: Partial<AwsConfigInput> = {},
  config: Partial<ChatopsConfigInput> = { auth: SRE_AUTH },
): Promise<TestBot> {
  return createTestBot({ plugins: [[awsPlugin, emulatorConfig(emulator, extra)]], config });
}
