import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import type { KeyPair } from './certificates.js';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** A local HTTP(S) server for a test. */
export interface TestHttpServer {
  url: string;
  port: number;
  /** Requests received so far. */
  readonly requests: IncomingMessage[];
  close(): Promise<void>;
}

/** Starts an HTTP server on 127.0.0.1 (HTTPS when a key pair is given). */
export async function startHttpServer(handler: Handler, tls?: KeyPair): Promise<TestHttpServer> {
  const requests: IncomingMessage[] = [];
  const listener: Handler = (request, response) => {
    requests.push(request);
    handler(request, response);
  };
  const server = tls ? https.createServer(tls, listener) : http.createServer(listener);
  // The TLS tests make handshakes fail on purpose; the client side reports them.
  server.on('tlsClientError', () => {});
  const port = await listen(server);
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A raw TCP server that accepts connections and counts them. */
export async function startTcpServer(onConnection: (socket: Socket) => void = (socket) => socket.end()) {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    onConnection(socket);
  });
  const port = await listen(server);
  return {
    port,
    get connections() {
      return connections;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}
