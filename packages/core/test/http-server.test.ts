import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpServer } from '../src/runtime/http-server.js';
import { Metrics } from '../src/runtime/metrics.js';

const servers: HttpServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function makeServer(overrides: { ready?: () => boolean; port?: number } = {}) {
  const lines: Array<{ level: number; msg: string }> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const metrics = new Metrics();
  const server = new HttpServer({
    host: '127.0.0.1',
    port: overrides.port ?? 0,
    log: pino({ level: 'debug' }, stream),
    metrics,
    isReady: overrides.ready ?? (() => true),
  });
  servers.push(server);
  return { server, metrics, lines };
}

describe('HttpServer', () => {
  it('answers /healthz', async () => {
    const { server } = makeServer();
    expect(server.url()).toBeUndefined();
    await server.listen();
    expect(server.url()).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${server.url()}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz with 503 until ready, then 200', async () => {
    let ready = false;
    const { server } = makeServer({ ready: () => ready });
    await server.listen();
    const before = await fetch(`${server.url()}/readyz`);
    expect(before.status).toBe(503);
    expect(await before.json()).toEqual({ status: 'not ready' });
    ready = true;
    const after = await fetch(`${server.url()}/readyz`);
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual({ status: 'ready' });
  });

  it('serves Prometheus metrics with the exposition content type', async () => {
    const { server, metrics } = makeServer();
    metrics.handled.inc({ command: 'ping', outcome: 'ok' });
    metrics.adapterConnected.set({ adapter: 'shell' }, 1);
    await server.listen();
    const response = await fetch(`${server.url()}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await response.text();
    expect(text).toContain('# TYPE chatops_commands_total counter');
    expect(text).toContain('chatops_commands_total{command="ping",outcome="ok"} 1');
    expect(text).toContain('chatops_adapter_connected{adapter="shell"} 1');
  });

  it('serves routes registered before listening, each in its own scope', async () => {
    const { server } = makeServer();
    server.register((app) => {
      app.addHook('onRequest', async (_request, reply) => {
        reply.header('x-scope', 'slack');
      });
      app.post('/slack/events', async (request) => ({ received: request.body }));
    });
    server.register(async (app) => {
      app.get('/hooks/ping', async () => 'pong');
    });
    await server.listen();
    const posted = await fetch(`${server.url()}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'url_verification' }),
    });
    expect(posted.headers.get('x-scope')).toBe('slack');
    expect(await posted.json()).toEqual({ received: { type: 'url_verification' } });
    const other = await fetch(`${server.url()}/hooks/ping`);
    expect(await other.text()).toBe('pong');
    expect(other.headers.get('x-scope')).toBeNull();
  });

  it('refuses registrations once listening, and a second listen', async () => {
    const { server } = makeServer();
    await server.listen();
    expect(() => server.register(() => {})).toThrow(
      'HTTP routes must be registered before the server listens',
    );
    await expect(server.listen()).rejects.toThrow('the HTTP server is already listening');
  });

  it('names host and port when the port is taken', async () => {
    const first = makeServer();
    await first.server.listen();
    const port = Number(new URL(first.server.url()!).port);
    const { server } = makeServer({ port });
    await expect(server.listen()).rejects.toThrow(
      `HTTP server cannot listen on 127.0.0.1:${port}: EADDRINUSE`,
    );
  });

  it('logs failing routes through the robot logger, without request chatter', async () => {
    const { server, lines } = makeServer();
    server.register((app) => {
      app.get('/boom', async () => {
        throw new Error('handler exploded');
      });
    });
    await server.listen();
    expect((await fetch(`${server.url()}/healthz`)).status).toBe(200);
    expect(
      (await fetch(`${server.url()}/boom?token=SECRET`, { headers: { authorization: 'SECRET' } })).status,
    ).toBe(500);
    expect(lines).toEqual([
      expect.objectContaining({ level: 50, msg: 'handler exploded', req: { method: 'GET', url: '/boom' } }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('SECRET');
  });

  it('stops answering after close', async () => {
    const { server } = makeServer();
    await server.listen();
    const url = server.url()!;
    await server.close();
    expect(server.url()).toBeUndefined();
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});
