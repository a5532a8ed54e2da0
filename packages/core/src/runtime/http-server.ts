import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { HttpRegistrar } from '../chat/adapter.js';
import type { Metrics } from './metrics.js';

/** Options of the {@link HttpServer} constructor. */
export interface HttpServerOptions {
  host: string;
  /** 0 picks a free port (see {@link HttpServer.url}). */
  port: number;
  /** Fastify's own messages are logged here at `warn` and above. */
  log: Logger;
  metrics: Metrics;
  /** Drives `/readyz`: true once the robot runs and its adapter is connected. */
  isReady: () => boolean;
}

/** Method and path only: headers and query strings may carry credentials. */
const requestSerializers = {
  req: (request: { method?: string; url?: string }) => ({
    method: request.method,
    url: request.url?.split('?')[0],
  }),
  res: (reply: { statusCode?: number }) => ({ statusCode: reply.statusCode }),
};

/**
 * The robot's one HTTP server (fastify): `GET /healthz`, `GET /readyz`, `GET /metrics`
 * (Prometheus text), plus the routes adapters and plugins register before it listens.
 */
export class HttpServer implements HttpRegistrar {
  private readonly app: FastifyInstance;
  private address: string | undefined;
  private started = false;

  constructor(private readonly options: HttpServerOptions) {
    // Only fastify's warnings and errors (a failing route) reach the robot's log, never per-request lines.
    const level = options.log.levelVal > options.log.levels.values['warn']! ? options.log.level : 'warn';
    const log = options.log.child({}, { level, serializers: requestSerializers });
    this.app = Fastify({ loggerInstance: log as FastifyBaseLogger });
    this.app.get('/healthz', async () => ({ status: 'ok' }));
    this.app.get('/readyz', async (_request, reply) =>
      options.isReady() ? { status: 'ready' } : reply.code(503).send({ status: 'not ready' }),
    );
    this.app.get('/metrics', async (_request, reply) =>
      reply.type(options.metrics.contentType).send(await options.metrics.render()),
    );
  }

  /**
   * Adds routes (or content-type parsers) in their own encapsulated fastify scope.
   *
   * @throws Error once the server has started listening.
   */
  register(plugin: (app: FastifyInstance) => Promise<void> | void): void {
    if (this.started) throw new Error('HTTP routes must be registered before the server listens');
    this.app.register(async (scope) => {
      await plugin(scope);
    });
  }

  /** Starts listening; rejects with the host and port when that fails (e.g. the port is taken). */
  async listen(): Promise<void> {
    if (this.started) throw new Error('the HTTP server is already listening');
    this.started = true;
    const { host, port } = this.options;
    try {
      this.address = await this.app.listen({ host, port });
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new Error(`HTTP server cannot listen on ${host}:${port}: ${reason}`, { cause: error });
    }
  }

  /** The base URL (`http://127.0.0.1:8080`), once listening. */
  url(): string | undefined {
    return this.address;
  }

  /** Stops accepting connections and waits for open requests to finish. */
  async close(): Promise<void> {
    await this.app.close();
    this.address = undefined;
  }
}
