import { UserFacingError } from '@chatops/core';
import { AwsCallError, describeAwsError } from './aws-errors.js';

/** Runs AWS work for a command or action; AWS failures become one sentence for the chat. */
export async function withAwsErrors<T>(accountName: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AwsCallError) throw new UserFacingError(describeAwsError(error, accountName));
    throw error;
  }
}
