import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This package's directory. */
export const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(resolve(packageDir, '../..'), 'packages/core/bin/chatops.js');

/** `chatops start` as a child process, with its JSON log lines. */
export class BotProcess {
  readonly lines: Record<string, unknown>[] = [];
  output = '';
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;
  private readonly listeners = new Set<() => void>();

  constructor(configPath: string, env: Record<string, string>) {
    // From the package directory, `@chatops/adapter-slack` resolves to this package (self-reference).
    this.child = spawn(process.execPath, [cli, 'start', '--config', configPath], {
      cwd: packageDir,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let pending = '';
    const take = (chunk: Buffer) => {
      this.output += chunk.toString();
      pending += chunk.toString();
      const complete = pending.split('\n');
      pending = complete.pop() ?? '';
      for (const line of complete) {
        try {
          this.lines.push(JSON.parse(line));
        } catch {
          // not a log line
        }
      }
      for (const listener of this.listeners) listener();
    };
    this.child.stdout!.on('data', take);
    this.child.stderr!.on('data', take);
    this.exited = new Promise((done) =>
      this.child.once('exit', (code) => {
        for (const listener of this.listeners) listener();
        done(code);
      }),
    );
  }

  /** Resolves with the first log line matching; rejects when the process exits or after `timeoutMs`. */
  waitForLog(
    probe: (line: Record<string, unknown>) => boolean,
    timeoutMs = 15_000,
  ): Promise<Record<string, unknown>> {
    return new Promise((done, fail) => {
      const check = () => {
        const found = this.lines.find(probe);
        if (found) finish(() => done(found));
        else if (this.child.exitCode !== null) {
          finish(() => fail(new Error(`chatops exited (${this.child.exitCode}):\n${this.output}`)));
        }
      };
      const timer = setTimeout(
        () => finish(() => fail(new Error(`log line not seen in ${timeoutMs} ms:\n${this.output}`))),
        timeoutMs,
      );
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        settle();
      };
      this.listeners.add(check);
      check();
    });
  }

  /** SIGTERM, then the exit code (SIGKILL after 10 s). */
  async stop(): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      this.exited,
      new Promise<null>((done) => {
        timer = setTimeout(() => {
          this.child.kill('SIGKILL');
          done(null);
        }, 10_000);
      }),
    ]);
    clearTimeout(timer);
    return code;
  }
}
