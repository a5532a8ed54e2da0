import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { withTimeout } from '../shared/with-timeout.js';

/** The `chatops` executable of this package. */
const CLI = fileURLToPath(new URL('../../bin/chatops.js', import.meta.url));

/**
 * `chatops start` as a real child process, with its JSON log lines: for end-to-end tests of adapters
 * and plugins (`await bot.waitForLog((line) => line.msg === 'robot started')`, then `await bot.stop()`).
 */
export class BotProcess {
  readonly lines: Record<string, unknown>[] = [];
  output = '';
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;
  private readonly listeners = new Set<() => void>();

  /**
   * @param configPath - the config file.
   * @param options - `cwd` (where packages named in the config resolve from) and extra `env`.
   */
  constructor(configPath: string, options: { cwd?: string; env?: Record<string, string> } = {}) {
    this.child = spawn(process.execPath, [CLI, 'start', '--config', configPath], {
      cwd: options.cwd ?? process.cwd(),
      env: { ...process.env, ...options.env },
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

  /** `kill -9`: the process dies at once, mid-work, without any clean-up. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM, then the exit code (SIGKILL after 10 s). */
  async stop(): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    const exit = await withTimeout(this.exited, 10_000);
    if (exit.done) return exit.value;
    this.child.kill('SIGKILL');
    return null;
  }
}
