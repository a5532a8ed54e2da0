import { describe, expect, it } from 'vitest';
import { type ProcessSpec, runProcess } from '../src/run-process.js';
import { fixture, isRunning, printedPid } from './process-state.js';

function spec(command: string, args: string[] = [], overrides: Partial<ProcessSpec> = {}): ProcessSpec {
  return {
    command: fixture(command),
    args,
    cwd: process.cwd(),
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
    timeoutMs: 10_000,
    killGraceMs: 300,
    maxOutputBytes: 64 * 1024,
    ...overrides,
  };
}

function outputOf(result: Awaited<ReturnType<typeof runProcess>>): string {
  return result.output.head + result.output.tail;
}

describe('runProcess', () => {
  it('passes the argument vector literally, never through a shell', async () => {
    const hostile = [
      '; rm -rf /',
      '$(id)',
      '`id`',
      'a && b',
      'a | b',
      'two\nlines',
      `"'`,
      '*',
      '../../etc/passwd',
    ];
    const result = await runProcess(spec('print-args.mjs', hostile));
    expect(result.termination).toEqual({ kind: 'exited', code: 0 });
    expect(JSON.parse(result.stdoutTail)).toEqual(hostile);
  });

  it('reports the exit code and captures stderr with stdout', async () => {
    const result = await runProcess(spec('exit-code.sh', ['3']));
    expect(result.termination).toEqual({ kind: 'exited', code: 3 });
    expect(result.exitCode).toBe(3);
    expect(outputOf(result)).toContain('to stdout\n');
    expect(outputOf(result)).toContain('to stderr\n');
    expect(result.stdoutTail).toBe('to stdout\n');
  });

  it('reports a program that cannot start', async () => {
    const result = await runProcess(spec('no-such-script.sh'));
    expect(result.termination).toMatchObject({
      kind: 'failed-to-start',
      message: expect.stringContaining('ENOENT'),
    });
  });

  it('kills a process group that ignores SIGTERM when the timeout passes, leaving nothing behind', async () => {
    const result = await runProcess(spec('ignore-term.sh', [], { timeoutMs: 300, killGraceMs: 200 }));
    expect(result.termination).toEqual({ kind: 'timeout' });
    const output = outputOf(result);
    expect(isRunning(printedPid(output, 'leader'))).toBe(false);
    expect(isRunning(printedPid(output, 'child'))).toBe(false);
  });

  it('terminates what a finished script left running in its group', async () => {
    const result = await runProcess(spec('leave-child.sh', [], { killGraceMs: 200 }));
    expect(result.termination).toEqual({ kind: 'exited', code: 0 });
    expect(isRunning(printedPid(outputOf(result), 'child'))).toBe(false);
  });

  it('stops the group when aborted and hands back the reason', async () => {
    const controller = new AbortController();
    const run = runProcess(
      spec('steps.sh', [], {
        signal: controller.signal,
        onOutput: (capture) => {
          if (capture.lines >= 3) controller.abort({ by: 'alice' });
        },
      }),
    );
    const result = await run;
    expect(result.termination).toEqual({ kind: 'aborted', reason: { by: 'alice' } });
    expect(outputOf(result)).toContain('step 3');
  });

  it('does not start when already aborted', async () => {
    const controller = new AbortController();
    controller.abort('shutdown');
    const result = await runProcess(spec('steps.sh', [], { signal: controller.signal }));
    expect(result.termination).toEqual({ kind: 'aborted', reason: 'shutdown' });
    expect(result.pid).toBeUndefined();
  });

  it('reports arguments the system refuses as a failure to start', async () => {
    const result = await runProcess(spec('print-args.mjs', ['nul\u0000byte']));
    expect(result.termination).toMatchObject({ kind: 'failed-to-start' });
  });

  it('keeps memory bounded while a script writes 1 GiB', async () => {
    const gib = 1024 ** 3;
    let peakRetained = 0;
    const result = await runProcess(
      spec('flood.sh', [String(gib)], {
        maxOutputBytes: 64 * 1024,
        timeoutMs: 60_000,
        onOutput: (capture) => {
          peakRetained = Math.max(peakRetained, capture.retainedBytes);
        },
      }),
    );
    expect(result.termination).toEqual({ kind: 'exited', code: 0 });
    expect(result.output.totalBytes).toBe(gib);
    expect(peakRetained).toBeLessThanOrEqual(64 * 1024);
    expect(result.output.head.length + result.output.tail.length).toBeLessThanOrEqual(64 * 1024);
    expect(result.output.droppedBytes).toBeGreaterThan(gib - 64 * 1024);
    expect(result.output.head.startsWith('all work and no play')).toBe(true);
    // 1 GiB through a pipe takes a few seconds on a quiet machine; the script's own limit is 60 s.
  }, 90_000);
});
