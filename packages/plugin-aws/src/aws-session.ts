import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { awsCall } from './aws-errors.js';
import { traceAwsCalls } from './aws-tracing.js';
import type { ResolvedAccount } from './config.js';

/** Who the bot is in an account. */
export interface AwsIdentity {
  accountId: string;
  arn: string;
  userId: string;
}

/** Retry settings shared by every client. */
export interface RetrySettings {
  maxAttempts: number;
  mode: 'standard' | 'adaptive';
}

interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** Refresh assumed-role credentials this long before they expire. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * The SDK clients of one configured account: the default credential chain (or a profile, or static keys),
 * optionally exchanged for a role through STS AssumeRole; S3 clients per region.
 */
export class AwsSession {
  private readonly s3Clients = new Map<string, S3Client>();
  private baseSts?: STSClient;
  private stsClient?: STSClient;
  private iamClient?: IAMClient;
  private controlClient?: S3ControlClient;
  private identityCache?: AwsIdentity;
  private readonly roleCredentials?: () => Promise<TemporaryCredentials>;

  constructor(
    readonly account: ResolvedAccount,
    private readonly retry: RetrySettings,
  ) {
    if (account.roleArn) this.roleCredentials = this.assumeRoleProvider(account.roleArn);
  }

  get name(): string {
    return this.account.name;
  }

  /** STS GetCallerIdentity, remembered once it succeeds. */
  async identity(): Promise<AwsIdentity> {
    if (this.identityCache) return this.identityCache;
    const answer = await awsCall('GetCallerIdentity', () =>
      this.sts().send(new GetCallerIdentityCommand({})),
    );
    this.identityCache = {
      accountId: answer.Account ?? '',
      arn: answer.Arn ?? '',
      userId: answer.UserId ?? '',
    };
    return this.identityCache;
  }

  sts(): STSClient {
    this.stsClient ??= traceAwsCalls(new STSClient(this.options()));
    return this.stsClient;
  }

  iam(): IAMClient {
    this.iamClient ??= traceAwsCalls(new IAMClient(this.options()));
    return this.iamClient;
  }

  /** An S3 client for a region, following region redirects as a safety net. */
  s3(region = this.account.region): S3Client {
    let client = this.s3Clients.get(region);
    if (!client) {
      client = traceAwsCalls(
        new S3Client({
          ...this.options(),
          region,
          forcePathStyle: this.account.forcePathStyle,
          followRegionRedirects: true,
        }),
      );
      this.s3Clients.set(region, client);
    }
    return client;
  }

  s3control(): S3ControlClient {
    const { endpoint, ...options } = this.options();
    // The endpoint rules put "{AccountId}." in front of a custom host, which breaks IPs and local names.
    this.controlClient ??= traceAwsCalls(
      new S3ControlClient(
        endpoint ? { ...options, endpointProvider: () => ({ url: new URL(endpoint) }) } : options,
      ),
    );
    return this.controlClient;
  }

  /** Closes every client's connections. */
  destroy(): void {
    for (const client of [
      this.baseSts,
      this.stsClient,
      this.iamClient,
      this.controlClient,
      ...this.s3Clients.values(),
    ]) {
      client?.destroy();
    }
    this.s3Clients.clear();
  }

  private options() {
    const { region, endpoint } = this.account;
    return {
      region,
      maxAttempts: this.retry.maxAttempts,
      retryMode: this.retry.mode,
      ...(endpoint ? { endpoint } : {}),
      ...(this.roleCredentials ? { credentials: this.roleCredentials } : this.baseCredentials()),
    };
  }

  private baseCredentials() {
    if (this.account.credentials) return { credentials: this.account.credentials };
    if (this.account.profile) return { profile: this.account.profile };
    return {};
  }

  private assumeRoleProvider(roleArn: string): () => Promise<TemporaryCredentials> {
    let cached: TemporaryCredentials | undefined;
    let pending: Promise<TemporaryCredentials> | undefined;
    const fetch = async (): Promise<TemporaryCredentials> => {
      const { region, endpoint } = this.account;
      this.baseSts ??= traceAwsCalls(
        new STSClient({
          region,
          maxAttempts: this.retry.maxAttempts,
          retryMode: this.retry.mode,
          ...(endpoint ? { endpoint } : {}),
          ...this.baseCredentials(),
        }),
      );
      const sts = this.baseSts;
      const answer = await awsCall('AssumeRole', () =>
        sts.send(
          new AssumeRoleCommand({
            RoleArn: roleArn,
            RoleSessionName: this.account.sessionName,
            ...(this.account.externalId ? { ExternalId: this.account.externalId } : {}),
          }),
        ),
      );
      const credentials = answer.Credentials;
      if (!credentials?.AccessKeyId || !credentials.SecretAccessKey)
        throw new Error('AssumeRole returned no credentials');
      cached = {
        accessKeyId: credentials.AccessKeyId,
        secretAccessKey: credentials.SecretAccessKey,
        ...(credentials.SessionToken ? { sessionToken: credentials.SessionToken } : {}),
        ...(credentials.Expiration ? { expiration: credentials.Expiration } : {}),
      };
      return cached;
    };
    return async () => {
      if (cached && (!cached.expiration || cached.expiration.getTime() - Date.now() > REFRESH_MARGIN_MS))
        return cached;
      pending ??= fetch().finally(() => {
        pending = undefined;
      });
      return pending;
    };
  }
}
