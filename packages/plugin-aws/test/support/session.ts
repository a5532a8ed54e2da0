import { AwsSession } from '../../src/aws-session.js';
import type { ResolvedAccount } from '../../src/config.js';
import type { AwsEmulator } from '../../src/emulator/index.js';

/** A plugin session on the emulator's default credentials, without retries unless asked. */
export function emulatorSession(
  emulator: AwsEmulator,
  overrides: Partial<ResolvedAccount> = {},
  maxAttempts = 1,
): AwsSession {
  return new AwsSession(
    {
      name: 'test',
      region: 'us-east-1',
      endpoint: emulator.endpoint,
      forcePathStyle: true,
      credentials: emulator.credentials,
      concurrency: 4,
      sessionName: 'chatops',
      ...overrides,
    },
    { maxAttempts, mode: 'standard' },
  );
}
