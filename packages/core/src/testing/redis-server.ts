import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** How long `redis-server` may take to say it is ready. */
const START_TIMEOUT_MS = 10_000;

/**
 * A real `redis-server` (Debian's `redis-server` package) on a free port of 127.0.0.1, with its data
 * in a temporary folder and the append-only file on (fsync on every write), so a restart keeps what
 * was written. For integration tests: `const redis = await RedisServer.start()`, `redis.url`, then
 * `await redis.stop()`.
 */
export class RedisServer {
  private child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    /** The data folder (removed by {@link stop}). */
    readonly dir: string,
  ) {}

  /** `redis://127.0.0.1:<port>/0`. */
  get url(): string {
    return `redis://127.0.0.1:${this.port}/0`;
  }

  /**
   * Starts a server and waits until it accepts connections.
   *
   * @throws Error saying how to install it when `redis-server` is not on the PATH.
   */
  static async start(): Promise<RedisServer> {
    const dir = await mkdtemp(path.join(tmpdir(), 'chatops-redis-'));
    const server = new RedisServer(await freePort(), dir);
    await server.launch();
    return server;
  }

  /** Stops the server without removing its data (start it again with {@link resume}). */
  async halt(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await exited;
  }

  /** Starts a halted server again on the same port and data. */
  resume(): Promise<void> {
    return this.launch();
  }

  /** Stops the server and removes its data. */
  async stop(): Promise<void> {
    await this.halt();
    await rm(this.dir, { recursive: true, force: true });
  }

  private launch(): Promise<void> {
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--loglevel',
        'notice',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    return new Promise((ready, fail) => {
      let output = '';
      const timer = setTimeout(
        () => done(new Error(`redis-server did not start in time:\n${output}`)),
        START_TIMEOUT_MS,
      );
      const done = (error?: Error) => {
        clearTimeout(timer);
        child.stdout!.off('data', take);
        child.off('exit', exited);
        child.off('error', failed);
        if (error) {
          child.kill('SIGKILL');
          fail(error);
        } else ready();
      };
      const take = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) done();
      };
      const exited = (code: number | null) => done(new Error(`redis-server exited with ${code}:\n${output}`));
      const failed = (error: NodeJS.ErrnoException) =>
        done(
          error.code === 'ENOENT'
            ? new Error('redis-server is not installed (apt-get install redis-server)')
            : error,
        );
      child.stdout!.on('data', take);
      child.stderr!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.once('exit', exited);
      child.once('error', failed);
    });
  }
}

/** A TCP port nobody listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
