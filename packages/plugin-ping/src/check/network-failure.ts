import { CheckFailure } from './check-failure.js';
import { describeTlsError } from './tls-failure.js';

/** How far a connection got when it failed or timed out. */
export type ConnectionPhase = 'resolving' | 'connecting' | 'tls' | 'waiting' | 'body';

const PHASE_WORDS: Record<ConnectionPhase, string> = {
  resolving: 'while resolving the host name',
  connecting: 'while connecting',
  tls: 'during the TLS handshake',
  waiting: 'waiting for the response',
  body: 'while reading the response body',
};

/** Where a connection was going. */
export interface Endpoint {
  host: string;
  port: number;
}

/** A timeout, saying how far the connection got. */
export function timeoutFailure(timeoutMs: number, phase: ConnectionPhase): CheckFailure {
  return new CheckFailure('timeout', `timeout after ${timeoutMs} ms (${PHASE_WORDS[phase]})`);
}

/** Turns a Node socket/HTTP/TLS error into a failure with a reason in words. */
export function describeNetworkError(
  error: unknown,
  endpoint: Endpoint,
  phase: ConnectionPhase,
): CheckFailure {
  if (error instanceof CheckFailure) return error;
  const code = errorCode(error);
  const where = `${endpoint.host}:${endpoint.port}`;
  switch (code) {
    case 'ENOTFOUND':
      return new CheckFailure('dns', `DNS failure: ${endpoint.host} not found`);
    case 'EAI_AGAIN':
      return new CheckFailure('dns', `DNS failure: lookup of ${endpoint.host} failed (temporary)`);
    case 'ECONNREFUSED':
      return new CheckFailure('refused', `connection refused by ${where}`);
    case 'ETIMEDOUT':
      return new CheckFailure('timeout', `connection to ${where} timed out`);
    case 'EHOSTUNREACH':
      return new CheckFailure('network', `host ${endpoint.host} unreachable`);
    case 'ENETUNREACH':
      return new CheckFailure('network', `network unreachable for ${endpoint.host}`);
    case 'ECONNRESET':
    case 'EPIPE':
      return new CheckFailure('network', `connection reset by ${where} ${PHASE_WORDS[phase]}`);
  }
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'EPROTO') {
    const detail = /wrong version number/i.test(message)
      ? 'the server does not speak TLS on this port'
      : 'protocol error';
    return new CheckFailure('tls', `TLS error: handshake failed: ${detail}`);
  }
  const tls = code ? describeTlsError(code, endpoint.host) : undefined;
  if (tls) return new CheckFailure('tls', `TLS error: ${tls}`);
  if (code?.startsWith('HPE_')) {
    return new CheckFailure('protocol', `invalid HTTP response from ${where}`);
  }
  return new CheckFailure('network', `connection failed ${PHASE_WORDS[phase]}: ${message}`);
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}
