import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { EmulatedAccount } from './account.js';
import { AwsError, hostId, queryErrorXml, s3ErrorXml } from './errors.js';
import { type FaultKind, type FaultScope, Faults } from './faults.js';
import { routeIam } from './iam-routes.js';
import type { EmulatedAccessKeyPair, EmulatedBucket } from './model.js';
import { IAM_NS, STS_NS } from './query-response.js';
import { credentialScope, type Protocol, protocolOf, readBody } from './request.js';
import type { EmulatorResponse, Route, RouteEnv } from './route.js';
import { routeS3Control } from './s3-control-routes.js';
import { routeS3 } from './s3-routes.js';
import { routeSts } from './sts-routes.js';

/** Options of `startAwsEmulator`. */
export interface AwsEmulatorOptions {
  /** Id of the account the default credentials belong to. Default `123456789012`. */
  accountId?: string;
  /** Added to every call, to model network and service latency. Default 0. */
  latencyMs?: number;
  /** Answer 301 PermanentRedirect when a bucket call is signed for another region. Default true. */
  regionRedirects?: boolean;
  /** Generate calls answered STARTED/INPROGRESS before the credential report is COMPLETE. Default 1. */
  credentialReportPolls?: number;
  /** The emulator's clock (credential expiry, report age). */
  now?: () => Date;
  /** Port to listen on (127.0.0.1). Default 0: any free port. */
  port?: number;
  /** Fixed keys for the default account's `chatops` user (default: random). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** Static credentials for a client of the emulator. */
export interface EmulatorCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

const isQuery = (protocol: Protocol) => protocol === 'iam' || protocol === 'sts';

/**
 * A local AWS endpoint speaking S3 REST (path-style), S3 Control, IAM and STS Query exactly enough for the
 * AWS SDK for JavaScript v3, with AccessDenied/throttling injection, added latency and call counters.
 */
export class AwsEmulator {
  /** `http://127.0.0.1:<port>`: the `endpoint` for every client. */
  endpoint = '';
  /** Credentials of the default account's `chatops` user. */
  readonly credentials: EmulatorCredentials;
  latencyMs: number;
  regionRedirects: boolean;
  credentialReportPolls: number;
  /** Include `BucketRegion` in paginated ListBuckets answers (off models S3-compatible stores). */
  listBucketRegions = true;
  readonly defaultAccountId: string;
  /** 301 PermanentRedirect answers so far (calls signed for the wrong region). */
  redirects = 0;
  /** Requests being answered right now. */
  inFlight = 0;
  /** The most requests answered at the same time since start or the last `resetCallCounts`. */
  maxInFlight = 0;
  private readonly server: Server;
  private readonly accounts = new Map<string, EmulatedAccount>();
  private readonly buckets = new Map<string, EmulatedBucket>();
  private readonly keys = new Map<string, EmulatedAccessKeyPair>();
  private readonly faults = new Faults();
  private readonly counts = new Map<string, number>();
  private readonly now: () => Date;

  constructor(options: AwsEmulatorOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.latencyMs = options.latencyMs ?? 0;
    this.regionRedirects = options.regionRedirects ?? true;
    this.credentialReportPolls = options.credentialReportPolls ?? 1;
    this.defaultAccountId = options.accountId ?? '123456789012';
    this.addAccount(this.defaultAccountId);
    this.credentials = this.createCredentials(this.defaultAccountId, 'chatops', options.credentials);
    this.server = createServer((request, response) => {
      this.handle(request, response).catch(() => {
        if (!response.headersSent) response.writeHead(500);
        response.end();
      });
    });
  }

  /** Starts listening on 127.0.0.1. */
  async listen(port = 0): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Stops the server and drops open keep-alive connections. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  /** Creates another account (for AssumeRole and multi-account scans). */
  addAccount(id: string): EmulatedAccount {
    if (!/^\d{12}$/.test(id)) throw new Error(`account id ${id} must be 12 digits`);
    const existing = this.accounts.get(id);
    if (existing) return existing;
    const account = new EmulatedAccount(id, this.buckets, this.now);
    this.accounts.set(id, account);
    return account;
  }

  /** An account by id (default: the default account). */
  account(id = this.defaultAccountId): EmulatedAccount {
    const account = this.accounts.get(id);
    if (!account) throw new Error(`no emulated account ${id}`);
    return account;
  }

  /** A bucket of any account. */
  bucket(name: string): EmulatedBucket | undefined {
    return this.buckets.get(name);
  }

  /** Long-lived credentials of a user in an account (random keys unless given). */
  createCredentials(
    accountId: string,
    userName: string,
    keys?: { accessKeyId: string; secretAccessKey: string },
  ): EmulatorCredentials {
    const accessKeyId = keys?.accessKeyId ?? `AKIA${randomBytes(8).toString('hex').toUpperCase()}`;
    const pair: EmulatedAccessKeyPair = {
      accessKeyId,
      secretAccessKey: keys?.secretAccessKey ?? randomBytes(20).toString('base64'),
      accountId: accountId,
      arn: `arn:aws:iam::${accountId}:user/${userName}`,
      userId: `AIDA${randomBytes(8).toString('hex').toUpperCase()}`,
    };
    this.keys.set(accessKeyId, pair);
    return { accessKeyId, secretAccessKey: pair.secretAccessKey };
  }

  /** Makes calls signed with this key fail with ExpiredToken. */
  expireCredentials(accessKeyId: string): void {
    const pair = this.keys.get(accessKeyId);
    if (pair) pair.expired = true;
  }

  /** Answers AccessDenied to `operation` (`s3:GetBucketAcl`, `iam:GenerateCredentialReport`, `*`). */
  deny(operation: string, scope?: FaultScope): void {
    this.faults.add('deny', operation, scope);
  }

  /** Answers SlowDown (S3) or Throttling (IAM, STS) to `operation`; pass `times` for a transient fault. */
  throttle(operation: string, scope?: FaultScope): void {
    this.faults.add('throttle', operation, scope);
  }

  /** Answers 500 InternalError to `operation`; pass `times` for a transient fault. */
  failInternally(operation: string, scope?: FaultScope): void {
    this.faults.add('internal', operation, scope);
  }

  /** Removes every injected fault. */
  clearFaults(): void {
    this.faults.clear();
  }

  /** Calls of one operation (`s3:GetBucketAcl`) so far, including failed and retried ones. */
  callCount(operation: string): number {
    return this.counts.get(operation) ?? 0;
  }

  /** Calls per operation so far. */
  callCounts(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  /** Total calls of all operations. */
  totalCalls(): number {
    let total = 0;
    for (const count of this.counts.values()) total += count;
    return total;
  }

  /** Zeroes the call counters, the redirect count and the in-flight peak. */
  resetCallCounts(): void {
    this.counts.clear();
    this.redirects = 0;
    this.maxInFlight = this.inFlight;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await this.answer(request, response);
    } finally {
      this.inFlight -= 1;
    }
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const raw = await readBody(request);
    const body = raw.toString('utf8');
    const url = new URL(request.url ?? '/', 'http://emulator');
    const method = request.method ?? 'GET';
    const scope = credentialScope(request.headers.authorization);
    const protocol = protocolOf(
      method,
      url.pathname,
      String(request.headers['content-type'] ?? ''),
      body,
      scope,
    );
    const requestId = isQuery(protocol) ? randomUUID() : randomBytes(8).toString('hex').toUpperCase();
    if (this.latencyMs > 0) await delay(this.latencyMs);
    let answer: EmulatorResponse;
    try {
      const caller = this.authenticate(protocol, scope, request.headers['x-amz-security-token']);
      const env = this.routeEnv(caller, scope?.region ?? 'us-east-1');
      const params = new URLSearchParams(body);
      const route: Route =
        protocol === 's3'
          ? routeS3({ method, url, headers: request.headers, body, raw }, env)
          : protocol === 's3control'
            ? routeS3Control(method, url.pathname, header(request.headers['x-amz-account-id']), body, env)
            : protocol === 'iam'
              ? routeIam(params, env)
              : routeSts(params, env);
      this.counts.set(route.operation, (this.counts.get(route.operation) ?? 0) + 1);
      const fault = this.faults.match({
        operation: route.operation,
        account: caller.accountId,
        ...(route.bucket === undefined ? {} : { bucket: route.bucket }),
        ...(route.user === undefined ? {} : { user: route.user }),
      });
      if (fault) throw faultError(fault, protocol, route, caller);
      answer = route.run(requestId);
    } catch (error) {
      const awsError =
        error instanceof AwsError
          ? error
          : new AwsError('InternalError', 500, 'We encountered an internal error.');
      if (awsError.code === 'PermanentRedirect') this.redirects += 1;
      answer = errorResponse(awsError, protocol, requestId, method, url.pathname);
    }
    const headers: Record<string, string> = {
      'x-amz-request-id': requestId,
      'x-amz-id-2': hostId(requestId),
      'content-type': 'application/xml',
      ...answer.headers,
    };
    const payload = method === 'HEAD' ? '' : (answer.body ?? '');
    if (payload) headers['content-length'] = String(Buffer.byteLength(payload));
    response.writeHead(answer.status, headers);
    response.end(payload);
  }

  private authenticate(
    protocol: Protocol,
    scope: ReturnType<typeof credentialScope>,
    token: unknown,
  ): EmulatedAccessKeyPair {
    const query = isQuery(protocol);
    if (!scope) {
      throw query
        ? new AwsError('MissingAuthenticationToken', 403, 'Request is missing Authentication Token')
        : new AwsError('AccessDenied', 403, 'Access Denied');
    }
    const pair = this.keys.get(scope.accessKeyId);
    if (!pair) {
      throw query
        ? new AwsError('InvalidClientTokenId', 403, 'The security token included in the request is invalid.')
        : new AwsError(
            'InvalidAccessKeyId',
            403,
            'The AWS Access Key Id you provided does not exist in our records.',
          );
    }
    if (pair.expired || (pair.expiresAt && pair.expiresAt.getTime() <= this.now().getTime())) {
      throw query
        ? new AwsError('ExpiredToken', 403, 'The security token included in the request is expired')
        : new AwsError('ExpiredToken', 400, 'The provided token has expired.');
    }
    if (pair.sessionToken !== undefined && pair.sessionToken !== token) {
      throw query
        ? new AwsError('InvalidClientTokenId', 403, 'The security token included in the request is invalid.')
        : new AwsError('InvalidToken', 400, 'The provided token is malformed or otherwise invalid.');
    }
    return pair;
  }

  private routeEnv(caller: EmulatedAccessKeyPair, signedRegion: string): RouteEnv {
    return {
      caller,
      account: this.addAccount(caller.accountId),
      signedRegion,
      now: this.now,
      findAccount: (id) => this.accounts.get(id),
      findBucket: (name) => this.buckets.get(name),
      regionRedirects: this.regionRedirects,
      listBucketRegions: this.listBucketRegions,
      credentialReportPolls: this.credentialReportPolls,
      issueSessionCredentials: (accountId, arn, userId, expiresAt) => {
        const pair: EmulatedAccessKeyPair = {
          accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
          secretAccessKey: randomBytes(20).toString('base64'),
          sessionToken: randomBytes(32).toString('base64'),
          accountId,
          arn,
          userId,
          expiresAt,
        };
        this.keys.set(pair.accessKeyId, pair);
        return pair;
      },
    };
  }
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function faultError(
  kind: FaultKind,
  protocol: Protocol,
  route: Route,
  caller: EmulatedAccessKeyPair,
): AwsError {
  if (kind === 'internal') {
    return new AwsError('InternalError', 500, 'We encountered an internal error. Please try again.');
  }
  if (kind === 'throttle') {
    return isQuery(protocol)
      ? new AwsError('Throttling', 400, 'Rate exceeded')
      : new AwsError('SlowDown', 503, 'Please reduce your request rate.');
  }
  if (!isQuery(protocol)) return new AwsError('AccessDenied', 403, 'Access Denied');
  const resource = route.user ? `arn:aws:iam::${caller.accountId}:user/${route.user}` : '*';
  return new AwsError(
    'AccessDenied',
    403,
    `User: ${caller.arn} is not authorized to perform: ${route.operation} on resource: ${resource}`,
  );
}

function errorResponse(
  error: AwsError,
  protocol: Protocol,
  requestId: string,
  method: string,
  resource: string,
): EmulatorResponse {
  if (isQuery(protocol)) {
    return {
      status: error.status,
      headers: { 'content-type': 'text/xml', ...error.headers },
      body: queryErrorXml(error, requestId, protocol === 'sts' ? STS_NS : IAM_NS),
    };
  }
  return {
    status: error.status,
    headers: error.headers,
    ...(method === 'HEAD' ? {} : { body: s3ErrorXml(error, requestId, resource) }),
  };
}

/** Starts an emulator on 127.0.0.1 (a free port unless `options.port` is given). */
export async function startAwsEmulator(options: AwsEmulatorOptions = {}): Promise<AwsEmulator> {
  return new AwsEmulator(options).listen(options.port ?? 0);
}
