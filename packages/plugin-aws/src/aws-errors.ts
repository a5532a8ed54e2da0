import { type AwsOperation, operationLabel, REQUIRED_PERMISSION } from './permissions.js';

/** A failed AWS call with the operation it was, so messages can name the missing permission. */
export class AwsCallError extends Error {
  override name = 'AwsCallError';
  constructor(
    readonly operation: AwsOperation,
    readonly code: string,
    readonly status: number | undefined,
    message: string,
    cause?: unknown,
  ) {
    super(message, { cause });
  }

  get denied(): boolean {
    return isDeniedCode(this.code);
  }
}

const DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'AllAccessDisabled',
  'UnauthorizedOperation',
]);
const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired']);
const INVALID = new Set([
  'InvalidAccessKeyId',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'UnrecognizedClientException',
  'InvalidToken',
  'AuthFailure',
]);
const THROTTLED = new Set([
  'Throttling',
  'ThrottlingException',
  'SlowDown',
  'TooManyRequestsException',
  'LimitExceededException',
  'RequestLimitExceeded',
]);
const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'TimeoutError',
]);

function isDeniedCode(code: string): boolean {
  return DENIED.has(code);
}

interface SdkErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/** Runs one SDK call; failures become an AwsCallError naming the operation. */
export async function awsCall<T>(operation: AwsOperation, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toCallError(operation, error);
  }
}

export function toCallError(operation: AwsOperation, error: unknown): AwsCallError {
  if (error instanceof AwsCallError) return error;
  const shape = (error ?? {}) as SdkErrorShape;
  const code = shape.code && NETWORK.has(shape.code) ? shape.code : (shape.name ?? 'Error');
  return new AwsCallError(
    operation,
    code,
    shape.$metadata?.httpStatusCode,
    shape.message ?? String(error),
    error,
  );
}

/** True for errors that end a whole scan (credentials, network) rather than one bucket's verdict. */
export function isFatal(error: AwsCallError): boolean {
  return (
    EXPIRED.has(error.code) ||
    INVALID.has(error.code) ||
    NETWORK.has(error.code) ||
    error.code === 'CredentialsProviderError' ||
    error.operation === 'AssumeRole'
  );
}

/** Short "why" for a table cell: `AccessDenied on GetBucketAcl`. */
export function shortReason(error: AwsCallError): string {
  return `${error.code} on ${operationLabel(error.operation)}`;
}

/** One sentence for the chat, naming what is missing; never a stack trace. */
export function describeAwsError(error: unknown, accountName: string): string {
  if (!(error instanceof AwsCallError)) {
    const message = error instanceof Error ? error.message : String(error);
    return `AWS call for account ${accountName} failed: ${firstLine(message)}.`;
  }
  const label = operationLabel(error.operation);
  const permission = REQUIRED_PERMISSION[error.operation];
  if (error.code === 'CredentialsProviderError') {
    return `No AWS credentials for account ${accountName}: set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run the bot with an instance or task role.`;
  }
  if (EXPIRED.has(error.code)) {
    return `The AWS credentials for account ${accountName} have expired (${error.code}): refresh them (for example aws sso login) and try again.`;
  }
  if (INVALID.has(error.code)) {
    return `The AWS credentials for account ${accountName} are not valid (${error.code} on ${label}): check the access key and secret.`;
  }
  if (error.operation === 'AssumeRole') {
    return error.denied
      ? `Account ${accountName}: could not assume its role (AccessDenied): the bot's identity needs sts:AssumeRole on it and the role's trust policy must allow the bot (check externalId).`
      : `Account ${accountName}: could not assume its role (${error.code}): ${firstLine(error.message)}.`;
  }
  if (error.denied) return `Account ${accountName} needs ${permission} (AccessDenied on ${label}).`;
  if (THROTTLED.has(error.code)) {
    return `AWS throttled ${label} for account ${accountName} (${error.code}) even after retries; try again in a minute.`;
  }
  if (NETWORK.has(error.code))
    return `Could not reach AWS for account ${accountName} (${error.code} on ${label}).`;
  return `AWS error on ${label} for account ${accountName}: ${error.code}: ${firstLine(error.message)}.`;
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return (line.length > 200 ? `${line.slice(0, 200)}…` : line).replace(/\.$/, '');
}
