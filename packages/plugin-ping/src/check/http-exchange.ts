import type http from 'node:http';
import type https from 'node:https';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { type ConnectionOptions, createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import { CheckFailure } from './check-failure.js';
import { type ConnectionPhase, describeNetworkError, timeoutFailure } from './network-failure.js';
import type { TlsOptions } from './types.js';

/** One HTTP request as the checker and the HTTP restart make it. */
export interface HttpExchangeRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  tls: TlsOptions;
  /** Read at most this many bytes of the body. */
  maxBodyBytes?: number;
  signal?: AbortSignal;
}

/** A response that arrived in time. */
export interface HttpExchangeResponse {
  statusCode: number;
  body: string;
  /** True when the body was longer than `maxBodyBytes` and was cut. */
  bodyTruncated: boolean;
  latencyMs: number;
}

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const require = createRequire(import.meta.url);

/**
 * `node:http` or `node:https`, required on the first check. Importing `node:http` from ES modules
 * builds its ES-module facade, which reads every export and so loads Node's fetch implementation
 * (undici) that a robot which never checks an HTTP target would pay for at start.
 */
function transportFor(secure: boolean): typeof http | typeof https {
  return secure ? (require('node:https') as typeof https) : (require('node:http') as typeof http);
}
const contextsByCa = new Map<string, SecureContext>();

/** A TLS context trusting the usual public CAs plus `ca`, built once per CA. */
function trustingAlso(ca: string): SecureContext {
  let context = contextsByCa.get(ca);
  if (!context) {
    context = createSecureContext({ ca: [...rootCertificates, ca] });
    contextsByCa.set(ca, context);
  }
  return context;
}

/**
 * Sends one request on a fresh connection (no pooling, no redirects) and reads the response body.
 * Rejects with a `CheckFailure` whose message says what went wrong and how far the connection got.
 */
export function httpExchange(request: HttpExchangeRequest): Promise<HttpExchangeResponse> {
  const { url, timeoutMs, signal } = request;
  const secure = url.protocol === 'https:';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const endpoint = { host, port: Number(url.port) || (secure ? 443 : 80) };
  const maxBodyBytes = request.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const transport = transportFor(secure);
  const started = performance.now();
  let phase: ConnectionPhase = isIP(host) ? 'connecting' : 'resolving';

  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    const fail = (error: unknown) => {
      finish(() => reject(describeNetworkError(error, endpoint, phase)));
      req.destroy();
    };
    const onAbort = () => fail(new CheckFailure('timeout', 'check cancelled'));

    const options: https.RequestOptions & Pick<ConnectionOptions, 'secureContext'> = {
      method: request.method,
      headers: { 'user-agent': 'chatops-ping', ...request.headers },
      agent: false,
    };
    if (secure) {
      options.rejectUnauthorized = request.tls.verify;
      if (request.tls.ca) options.secureContext = trustingAlso(request.tls.ca);
    }
    const req = transport.request(url, options);
    const timer = setTimeout(() => fail(timeoutFailure(timeoutMs, phase)), timeoutMs);
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });

    req.on('socket', (socket: Socket) => {
      socket.once('lookup', () => {
        phase = 'connecting';
      });
      socket.once('connect', () => {
        phase = secure ? 'tls' : 'waiting';
      });
      socket.once('secureConnect', () => {
        phase = 'waiting';
      });
    });
    req.on('error', fail);
    req.on('response', (res) => {
      phase = 'body';
      const chunks: Buffer[] = [];
      let size = 0;
      const done = (bodyTruncated: boolean) =>
        finish(() =>
          resolve({
            statusCode: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            bodyTruncated,
            latencyMs: performance.now() - started,
          }),
        );
      res.on('data', (chunk: Buffer) => {
        const room = maxBodyBytes - size;
        chunks.push(chunk.subarray(0, Math.max(room, 0)));
        size += chunk.length;
        if (size > maxBodyBytes) {
          done(true);
          req.destroy();
        }
      });
      res.on('end', () => done(false));
      res.on('error', fail);
    });
    req.end(request.body);
  });
}
