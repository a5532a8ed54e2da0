import { spawn } from 'node:child_process';
import { type CapturedOutput, OutputCapture } from './output-capture.js';
import { groupExists, signalGroup, trackGroup } from './process-group.js';

/** How long to keep checking for leftovers of a finished group before the final SIGKILL. */
const GROUP_POLL_MS = 25;
/** Enough of stdout's end to find a card printed as the last line or as the whole output. */
const STDOUT_TAIL_BYTES = 64 * 1024;

/** One execution of a program: everything is explicit, nothing comes from the bot's environment. */
export interface ProcessSpec {
  /** Absolute path of the executable. */
  command: string;
  /** The complete argument vector after the command (never parsed by a shell). */
  args: readonly string[];
  cwd: string;
  /** The complete environment of the child. */
  env: Readonly<Record<string, string>>;
  timeoutMs: number;
  /** Time between SIGTERM and SIGKILL. */
  killGraceMs: number;
  /** Bytes of combined output kept (head and tail). */
  maxOutputBytes: number;
  /** Aborting terminates the process group; the reason comes back in `ProcessResult.aborted`. */
  signal?: AbortSignal;
  /** Called after each chunk of output. */
  onOutput?: (capture: OutputCapture) => void;
}

/** How a process ended. */
export type Termination =
  | { kind: 'exited'; code: number }
  | { kind: 'signalled'; signal: string }
  | { kind: 'timeout' }
  | { kind: 'aborted'; reason: unknown }
  | { kind: 'failed-to-start'; message: string };

/** The outcome of `runProcess`. */
export interface ProcessResult {
  termination: Termination;
  /** Exit code when it exited by itself, or null. */
  exitCode: number | null;
  /** stdout and stderr interleaved in arrival order, capped. */
  output: CapturedOutput;
  /** The end of stdout alone (for card JSON). */
  stdoutTail: string;
  /** True when stdout was longer than `stdoutTail`. */
  stdoutTruncated: boolean;
  durationMs: number;
  pid?: number;
}

/**
 * Runs a program with an argument vector and no shell, in its own process group, stdin closed.
 * On timeout or abort the whole group gets SIGTERM, then SIGKILL after the grace period; when the
 * program exits, anything it left running in its group is terminated the same way. Never rejects.
 */
export function runProcess(spec: ProcessSpec): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const started = performance.now();
    const capture = new OutputCapture(spec.maxOutputBytes);
    const stdout = new OutputCapture(STDOUT_TAIL_BYTES * 2);
    let stopReason: Termination | undefined;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let streamsClosed = false;
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;

    const notStarted = (termination: Termination): void =>
      resolve({
        termination,
        exitCode: null,
        output: capture.result(),
        stdoutTail: '',
        stdoutTruncated: false,
        durationMs: performance.now() - started,
      });
    if (spec.signal?.aborted) {
      notStarted({ kind: 'aborted', reason: spec.signal.reason });
      return;
    }
    let child: ReturnType<typeof spawnChild>;
    try {
      child = spawnChild(spec);
    } catch (error) {
      // Invalid arguments (a NUL byte in a fixed argument, say) throw instead of emitting 'error'.
      notStarted({ kind: 'failed-to-start', message: (error as Error).message });
      return;
    }
    const pid = child.pid;
    const untrack = pid === undefined ? () => false : trackGroup(pid);

    const finish = (termination: Termination): void => {
      if (settled) return;
      settled = true;
      untrack();
      clearTimeout(timeoutTimer);
      clearTimeout(killTimer);
      spec.signal?.removeEventListener('abort', onAbort);
      const stdoutResult = stdout.result();
      resolve({
        termination,
        exitCode: termination.kind === 'exited' ? termination.code : null,
        output: capture.result(),
        stdoutTail: stdoutResult.droppedBytes > 0 ? stdoutResult.tail : stdoutResult.head + stdoutResult.tail,
        stdoutTruncated: stdoutResult.droppedBytes > 0,
        durationMs: performance.now() - started,
        ...(pid === undefined ? {} : { pid }),
      });
    };

    const terminate = (reason: Termination): void => {
      if (stopReason || exit || pid === undefined) return;
      stopReason = reason;
      signalGroup(pid, 'SIGTERM');
      killTimer = setTimeout(() => signalGroup(pid, 'SIGKILL'), spec.killGraceMs);
    };

    const onAbort = (): void => terminate({ kind: 'aborted', reason: spec.signal?.reason });
    const timeoutTimer = setTimeout(() => terminate({ kind: 'timeout' }), spec.timeoutMs);

    child.on('error', (error) => {
      if (pid === undefined) finish({ kind: 'failed-to-start', message: error.message });
    });
    if (pid === undefined) return;

    spec.signal?.addEventListener('abort', onAbort, { once: true });
    if (spec.signal?.aborted) onAbort();

    child.stdout.on('data', (chunk: Buffer) => {
      capture.write(chunk);
      stdout.write(chunk);
      spec.onOutput?.(capture);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      capture.write(chunk);
      spec.onOutput?.(capture);
    });

    const termination = (): Termination => {
      if (stopReason) return stopReason;
      if (exit?.code !== null && exit?.code !== undefined) return { kind: 'exited', code: exit.code };
      return { kind: 'signalled', signal: exit?.signal ?? 'unknown' };
    };

    let groupSettled = false;
    const finishWhenDone = (): void => {
      if (exit && groupSettled && streamsClosed) finish(termination());
    };

    // The leader is gone: give what it left in its group the grace period, then SIGKILL it, so the
    // result is only reported once nothing of the run is left.
    const sweepGroup = (): void => {
      const deadline = performance.now() + spec.killGraceMs;
      if (groupExists(pid)) signalGroup(pid, 'SIGTERM');
      const check = (): void => {
        const alive = groupExists(pid);
        if (alive && performance.now() < deadline) {
          setTimeout(check, GROUP_POLL_MS);
          return;
        }
        if (alive) signalGroup(pid, 'SIGKILL');
        groupSettled = true;
        finishWhenDone();
        // Something outside the group (it called setsid) may still hold the pipes: stop reading then.
        killTimer = setTimeout(() => {
          child.stdout.destroy();
          child.stderr.destroy();
          finish(termination());
        }, spec.killGraceMs);
      };
      check();
    };

    child.on('exit', (code, signal) => {
      exit = { code, signal };
      clearTimeout(timeoutTimer);
      clearTimeout(killTimer);
      sweepGroup();
    });
    child.on('close', () => {
      streamsClosed = true;
      finishWhenDone();
    });
  });
}

function spawnChild(spec: ProcessSpec) {
  return spawn(spec.command, [...spec.args], {
    cwd: spec.cwd,
    env: { ...spec.env },
    shell: false,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
}
