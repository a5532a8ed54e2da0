/** The verdict of one check. */
export type Health = 'healthy' | 'degraded' | 'unhealthy';

/** Why a check failed, as a category (the words are in `CheckResult.reason`). */
export type FailureKind = 'dns' | 'refused' | 'timeout' | 'tls' | 'network' | 'protocol' | 'status' | 'body';

/** What a response must look like to count as healthy. */
export interface Expectation {
  /** Accepted status codes; undefined accepts 200–399. */
  status?: number[];
  /** Text the body must contain. */
  body?: string;
  /** A JSON field the body must have, by dotted path (`checks.db.status`, `items.0.ok`). */
  json?: { path: string; equals: unknown };
}

interface TargetBase {
  /** The name as written in the config. */
  name: string;
  /** Abort the check after this many milliseconds. */
  timeoutMs: number;
  /** Report DEGRADED when a passing check took longer than this. */
  degradedAfterMs?: number;
}

/** An HTTP(S) health endpoint. */
export interface HttpTarget extends TargetBase {
  kind: 'http';
  url: URL;
  method: string;
  headers: Record<string, string>;
  expect: Expectation;
  tls: TlsOptions;
}

/** A TCP port that must accept connections. */
export interface TcpTarget extends TargetBase {
  kind: 'tcp';
  host: string;
  port: number;
}

/** A target ready to be checked. */
export type CheckTarget = HttpTarget | TcpTarget;

/** TLS settings of an HTTPS request. */
export interface TlsOptions {
  /** Verify the server certificate and host name. */
  verify: boolean;
  /** Extra trusted CA certificates (PEM), for internal CAs. */
  ca?: string;
}

/** The outcome of checking one target. Serializable (kept in the store as the last known state). */
export interface CheckResult {
  target: string;
  health: Health;
  /** Where it was checked, without credentials. */
  endpoint: string;
  /** HTTP status code when a response arrived. */
  statusCode?: number;
  /** Time the check took, in milliseconds (to the end of the response, or to the TCP connect). */
  latencyMs: number;
  /** Category of the failure for an unhealthy result. */
  failure?: FailureKind;
  /** Why it is not healthy, in words. */
  reason?: string;
  /** When it was checked (robot clock, epoch milliseconds). */
  checkedAt: number;
}
