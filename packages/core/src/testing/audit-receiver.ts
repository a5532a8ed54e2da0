import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP collector on 127.0.0.1 for the `http` audit sink: records every JSON line it receives,
 * counts each `seq`, keeps a batch once per `Idempotency-Key` (as collectors that honour the header
 * do), and can go down and come back on the same port (an outage).
 */
export class AuditReceiver {
  /** Every audit line received, in arrival order (duplicates included). */
  readonly lines: Record<string, unknown>[] = [];
  /** Checkpoints received. */
  readonly checkpoints: Record<string, unknown>[] = [];
  /** Request headers of every POST. */
  readonly headers: IncomingMessage['headers'][] = [];
  /** While set, requests are answered with this status and their lines dropped. */
  failWith: number | undefined;
  /** Batches received again under an `Idempotency-Key` already accepted (answered 200, not kept). */
  replayedBatches = 0;
  private readonly keys = new Set<string>();
  private server: Server | undefined;
  private port = 0;
  private readonly listeners = new Set<() => void>();

  /** `http://127.0.0.1:<port>/ingest`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/ingest`;
  }

  /** Starts listening (again, on the same port after {@link stop}). */
  async start(): Promise<this> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (this.failWith !== undefined) {
          response.writeHead(this.failWith).end();
          return;
        }
        this.headers.push(request.headers);
        const key = request.headers['idempotency-key'];
        if (typeof key === 'string' && this.keys.has(key)) {
          this.replayedBatches += 1;
          response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true,"replayed":true}');
          return;
        }
        if (typeof key === 'string') this.keys.add(key);
        for (const text of Buffer.concat(chunks).toString('utf8').split('\n')) {
          if (!text) continue;
          const value = JSON.parse(text) as Record<string, unknown>;
          (value.type === 'checkpoint' ? this.checkpoints : this.lines).push(value);
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
        for (const listener of this.listeners) listener();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  /** Stops listening: connections are refused until {@link start} is called again. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  /** How many times each seq arrived. */
  seqCounts(): Map<number, number> {
    const counts = new Map<number, number>();
    for (const line of this.lines) {
      const seq = line.seq as number;
      counts.set(seq, (counts.get(seq) ?? 0) + 1);
    }
    return counts;
  }

  /** Resolves once `probe` holds, checked after each request; rejects after `timeoutMs`. */
  waitFor(probe: () => boolean, timeoutMs = 15_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!probe()) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`audit receiver: condition not met within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }
}
