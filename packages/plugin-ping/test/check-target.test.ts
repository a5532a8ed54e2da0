import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkTarget } from '../src/check/check-target.js';
import type { CheckTarget, HttpTarget } from '../src/check/types.js';
import { createTestCertificates, type TestCertificates } from './support/certificates.js';
import { closedPort, startHttpServer, startTcpServer, type TestHttpServer } from './support/servers.js';

const now = () => Date.UTC(2030, 0, 1);
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((close) => close()));
});

async function serve(...args: Parameters<typeof startHttpServer>): Promise<TestHttpServer> {
  const server = await startHttpServer(...args);
  cleanups.push(server.close);
  return server;
}

function httpTarget(url: string, overrides: Partial<HttpTarget> = {}): HttpTarget {
  return {
    kind: 'http',
    name: 'uat',
    url: new URL(url),
    method: 'GET',
    headers: {},
    expect: {},
    tls: { verify: true },
    timeoutMs: 5000,
    ...overrides,
  };
}

const check = (target: CheckTarget) => checkTarget(target, { now });

describe('HTTP targets', () => {
  it('is HEALTHY on a 200 with its status code and latency', async () => {
    const server = await serve((_request, response) => response.end('ok'));
    const result = await check(httpTarget(`${server.url}/healthz`));
    expect(result).toMatchObject({ target: 'uat', health: 'healthy', statusCode: 200, checkedAt: now() });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(result.reason).toBeUndefined();
    expect(server.requests[0]?.url).toBe('/healthz');
  });

  it('is UNHEALTHY on a 500, naming the status it expected', async () => {
    const server = await serve((_request, response) => {
      response.statusCode = 500;
      response.end('boom');
    });
    const result = await check(httpTarget(server.url));
    expect(result).toMatchObject({
      health: 'unhealthy',
      statusCode: 500,
      failure: 'status',
      reason: 'unexpected status 500 (expected 200-399)',
    });
  });

  it('accepts only the configured status codes when given', async () => {
    const server = await serve((_request, response) => response.end('ok'));
    const result = await check(httpTarget(server.url, { expect: { status: [204, 401] } }));
    expect(result.reason).toBe('unexpected status 200 (expected 204 or 401)');
    const accepted = await check(httpTarget(server.url, { expect: { status: [200] } }));
    expect(accepted.health).toBe('healthy');
  });

  it('times out on a server that never answers, saying after how long and where it hung', async () => {
    const server = await serve(() => {});
    const result = await check(httpTarget(server.url, { timeoutMs: 150 }));
    expect(result).toMatchObject({
      health: 'unhealthy',
      failure: 'timeout',
      reason: 'timeout after 150 ms (waiting for the response)',
    });
    expect(result.statusCode).toBeUndefined();
  });

  it('reports a body mismatch when the expected text is missing', async () => {
    const server = await serve((_request, response) => response.end('<h1>Down for maintenance</h1>'));
    const result = await check(httpTarget(server.url, { expect: { body: '"status":"ok"' } }));
    expect(result).toMatchObject({
      health: 'unhealthy',
      statusCode: 200,
      failure: 'body',
      reason: 'body mismatch: ""status":"ok"" not found in the response',
    });
  });

  it('checks a JSON field by path', async () => {
    const server = await serve((request, response) => {
      response.setHeader('content-type', 'application/json');
      const db = request.url === '/up' ? 'up' : 'down';
      response.end(JSON.stringify({ checks: [{ name: 'db', status: db }] }));
    });
    const expectation = { json: { path: 'checks[0].status', equals: 'up' } };
    const up = await check(httpTarget(`${server.url}/up`, { expect: expectation }));
    expect(up.health).toBe('healthy');
    const down = await check(httpTarget(`${server.url}/down`, { expect: expectation }));
    expect(down.reason).toBe('body mismatch: checks[0].status is "down", expected "up"');
    const missing = await check(
      httpTarget(server.url, { expect: { json: { path: 'checks.3.status', equals: 'up' } } }),
    );
    expect(missing.reason).toBe('body mismatch: checks.3.status is missing');
  });

  it('says when the body is not JSON', async () => {
    const server = await serve((_request, response) => response.end('<html>'));
    const result = await check(httpTarget(server.url, { expect: { json: { path: 'ok', equals: true } } }));
    expect(result.reason).toBe('body mismatch: the response is not JSON');
  });

  it('reports DEGRADED when a passing check is slower than the threshold', async () => {
    // The server holds the answer for 60 ms, so the latency is at least that: above the 10 ms threshold.
    const server = await serve((_request, response) => {
      setTimeout(() => response.end('ok'), 60);
    });
    const result = await check(httpTarget(server.url, { degradedAfterMs: 10 }));
    expect(result.health).toBe('degraded');
    expect(result.statusCode).toBe(200);
    expect(result.reason).toMatch(/^slow: took \d+ms, over the 10ms threshold$/);
  });

  it('sends the configured method and headers', async () => {
    const server = await serve((_request, response) => response.end('ok'));
    await check(httpTarget(server.url, { method: 'POST', headers: { authorization: 'Bearer t0ken' } }));
    expect(server.requests[0]?.method).toBe('POST');
    expect(server.requests[0]?.headers.authorization).toBe('Bearer t0ken');
  });

  it('never shows credentials or the query string of the URL', async () => {
    const server = await serve((_request, response) => response.end('ok'));
    const result = await check(httpTarget(`http://ops:s3cret@127.0.0.1:${server.port}/health?token=abc`));
    expect(result.endpoint).toBe(`http://127.0.0.1:${server.port}/health`);
    expect(server.requests[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from('ops:s3cret').toString('base64')}`,
    );
  });

  it('reports connection refused on a closed port', async () => {
    const port = await closedPort();
    const result = await check(httpTarget(`http://127.0.0.1:${port}/`));
    expect(result).toMatchObject({
      health: 'unhealthy',
      failure: 'refused',
      reason: `connection refused by 127.0.0.1:${port}`,
    });
  });

  it('reports a DNS failure for a host that does not exist', async () => {
    const result = await check(httpTarget('http://no-such-host.invalid/healthz'));
    expect(result.health).toBe('unhealthy');
    expect(result.failure).toBe('dns');
    expect(result.reason).toMatch(/^DNS failure: .*no-such-host\.invalid/);
  });

  it('reports an invalid HTTP response from something that is not an HTTP server', async () => {
    const server = await startTcpServer((socket) => socket.end('SSH-2.0-OpenSSH\r\n\r\n'));
    cleanups.push(server.close);
    const result = await check(httpTarget(`http://127.0.0.1:${server.port}/`));
    expect(result).toMatchObject({
      failure: 'protocol',
      reason: `invalid HTTP response from 127.0.0.1:${server.port}`,
    });
  });
});

describe('HTTPS targets', () => {
  let certs: TestCertificates;
  beforeAll(() => {
    certs = createTestCertificates();
  });
  const ok = (_request: unknown, response: { end(text: string): void }) => response.end('ok');

  it('is HEALTHY with a certificate from a CA the target trusts', async () => {
    const server = await serve(ok, certs.valid);
    const result = await check(httpTarget(server.url, { tls: { verify: true, ca: certs.caPem } }));
    expect(result).toMatchObject({ health: 'healthy', statusCode: 200 });
  });

  it('names a self-signed certificate', async () => {
    const server = await serve(ok, certs.selfSigned);
    const result = await check(httpTarget(server.url));
    expect(result).toMatchObject({
      health: 'unhealthy',
      failure: 'tls',
      reason: 'TLS error: self-signed certificate',
    });
    expect(server.requests).toHaveLength(0);
  });

  it('accepts a self-signed certificate when the target turns verification off', async () => {
    const server = await serve(ok, certs.selfSigned);
    const result = await check(httpTarget(server.url, { tls: { verify: false } }));
    expect(result.health).toBe('healthy');
  });

  it('names an expired certificate', async () => {
    const server = await serve(ok, certs.expired);
    const result = await check(httpTarget(server.url, { tls: { verify: true, ca: certs.caPem } }));
    expect(result.reason).toBe('TLS error: certificate expired');
  });

  it('names a certificate for another host', async () => {
    const server = await serve(ok, certs.otherHost);
    const result = await check(httpTarget(server.url, { tls: { verify: true, ca: certs.caPem } }));
    expect(result.reason).toBe('TLS error: certificate does not match 127.0.0.1');
  });

  it('names a certificate from an unknown CA', async () => {
    const server = await serve(ok, certs.valid);
    const result = await check(httpTarget(server.url));
    expect(result.reason).toBe('TLS error: certificate issuer not trusted (unknown CA or incomplete chain)');
  });

  it('says when the port does not speak TLS', async () => {
    const server = await serve(ok);
    const result = await check(httpTarget(server.url.replace('http:', 'https:')));
    expect(result.reason).toBe('TLS error: handshake failed: the server does not speak TLS on this port');
  });
});

describe('TCP targets', () => {
  const tcpTarget = (host: string, port: number): CheckTarget => ({
    kind: 'tcp',
    name: 'db',
    host,
    port,
    timeoutMs: 2000,
  });

  it('is HEALTHY when the port accepts a connection', async () => {
    const server = await startTcpServer();
    cleanups.push(server.close);
    const result = await check(tcpTarget('127.0.0.1', server.port));
    expect(result).toMatchObject({ health: 'healthy', endpoint: `tcp://127.0.0.1:${server.port}` });
    expect(result.statusCode).toBeUndefined();
    expect(server.connections).toBe(1);
  });

  it('reports connection refused on a closed port', async () => {
    const port = await closedPort();
    const result = await check(tcpTarget('127.0.0.1', port));
    expect(result).toMatchObject({ failure: 'refused', reason: `connection refused by 127.0.0.1:${port}` });
  });

  it('reports a DNS failure for a host that does not exist', async () => {
    const result = await check(tcpTarget('db.invalid', 5432));
    expect(result.failure).toBe('dns');
    expect(result.reason).toMatch(/^DNS failure: .*db\.invalid/);
  });
});
