import {
  GetLoginProfileCommand,
  type IAMClient,
  ListMFADevicesCommand,
  paginateListUsers,
} from '@aws-sdk/client-iam';
import { AwsCallError, awsCall, isFatal } from '../aws-errors.js';
import { mapLimit } from '../concurrency.js';

/** A user checked with live IAM calls (fallback when the credential report is not permitted). */
export interface LiveUser {
  user: string;
  arn: string;
  createdAt?: Date;
  passwordLastUsed?: Date;
  /** false, or why MFA could not be read. */
  mfa: false | { unknown: string };
  /** Has a console password; undefined when GetLoginProfile was denied. */
  console?: boolean;
}

/** Live MFA state of one user: true when at least one device is assigned. */
export async function hasMfa(iam: IAMClient, userName: string): Promise<boolean> {
  const answer = await awsCall('ListMFADevices', () =>
    iam.send(new ListMFADevicesCommand({ UserName: userName })),
  );
  return (answer.MFADevices ?? []).length > 0;
}

/** Whether the user has a console password (NoSuchEntity means no). */
export async function hasConsolePassword(iam: IAMClient, userName: string): Promise<boolean> {
  try {
    await awsCall('GetLoginProfile', () => iam.send(new GetLoginProfileCommand({ UserName: userName })));
    return true;
  } catch (error) {
    if (error instanceof AwsCallError && error.code === 'NoSuchEntityException') return false;
    throw error;
  }
}

/** A per-user failure worth reporting as "unknown"; a denial or credential problem ends the check. */
function softFailure(error: unknown): AwsCallError {
  if (
    error instanceof AwsCallError &&
    !isFatal(error) &&
    !error.denied &&
    error.code !== 'NoSuchEntityException'
  ) {
    return error;
  }
  throw error;
}

/**
 * ListUsers, then ListMFADevices per user and GetLoginProfile for those without MFA: N+1 calls, so bounded
 * by `concurrency` (IAM's rate quota is low and shared).
 */
export async function checkUsersLive(
  iam: IAMClient,
  concurrency: number,
  signal?: AbortSignal,
): Promise<{ total: number; withoutMfa: LiveUser[] }> {
  const users: { name: string; arn: string; createdAt?: Date; passwordLastUsed?: Date }[] = [];
  await awsCall('ListUsers', async () => {
    for await (const page of paginateListUsers({ client: iam, pageSize: 1000 }, {})) {
      for (const user of page.Users ?? []) {
        users.push({
          name: user.UserName ?? '',
          arn: user.Arn ?? '',
          ...(user.CreateDate ? { createdAt: user.CreateDate } : {}),
          ...(user.PasswordLastUsed ? { passwordLastUsed: user.PasswordLastUsed } : {}),
        });
      }
    }
  });
  const checked = await mapLimit(
    users,
    concurrency,
    async (user): Promise<LiveUser | undefined> => {
      let mfa: LiveUser['mfa'] = false;
      try {
        if (await hasMfa(iam, user.name)) return undefined;
      } catch (error) {
        const failure = softFailure(error);
        mfa = { unknown: `${failure.code} on ListMFADevices` };
      }
      const live: LiveUser = { user: user.name, arn: user.arn, mfa };
      if (user.createdAt) live.createdAt = user.createdAt;
      if (user.passwordLastUsed) live.passwordLastUsed = user.passwordLastUsed;
      try {
        live.console = await hasConsolePassword(iam, user.name);
      } catch (error) {
        // Without iam:GetLoginProfile the user is still listed, with the console column unknown.
        if (!(error instanceof AwsCallError && error.denied)) softFailure(error);
      }
      return live;
    },
    signal,
  );
  return { total: users.length, withoutMfa: checked.filter((user): user is LiveUser => user !== undefined) };
}
