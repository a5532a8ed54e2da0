import type { EmulatedAccount } from './account.js';
import type { EmulatedAccessKeyPair, EmulatedBucket } from './model.js';

/** What the emulator answers: status, body and extra headers. */
export interface EmulatorResponse {
  status: number;
  body?: string | Buffer;
  headers?: Record<string, string>;
}

/** A request resolved to one AWS operation; `run` performs it (after counting and fault injection). */
export interface Route {
  /** `service:Operation`, e.g. `s3:GetBucketAcl`, `iam:ListUsers`. */
  operation: string;
  bucket?: string;
  user?: string;
  run(requestId: string): EmulatorResponse;
}

/** What routes may use: the caller, their account and the emulator's shared state. */
export interface RouteEnv {
  caller: EmulatedAccessKeyPair;
  account: EmulatedAccount;
  /** Region the request was signed for. */
  signedRegion: string;
  now(): Date;
  findAccount(id: string): EmulatedAccount | undefined;
  findBucket(name: string): EmulatedBucket | undefined;
  regionRedirects: boolean;
  listBucketRegions: boolean;
  credentialReportPolls: number;
  issueSessionCredentials(
    accountId: string,
    arn: string,
    userId: string,
    expiresAt: Date,
  ): EmulatedAccessKeyPair;
}
