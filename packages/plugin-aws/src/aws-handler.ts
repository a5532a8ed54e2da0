import { type ArgValue, UsageError, UserFacingError } from '@chatops/core';
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

/** A string argument, or undefined when absent. */
export function stringArg(value: ArgValue): string | undefined {
  if (value === undefined || value === '') return undefined;
  return String(value);
}

/** A required string argument of a button action (buttons are signed, so this only guards bugs). */
export function requiredArg(value: ArgValue, name: string): string {
  const text = stringArg(value);
  if (text === undefined) throw new UsageError(`missing ${name}`);
  return text;
}
