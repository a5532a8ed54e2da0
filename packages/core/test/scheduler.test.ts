import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Scheduler } from '../src/runtime/scheduler.js';

interface LogLine {
  level: number;
  msg: string;
  job?: string;
  err?: { message: string };
}

function capturingLogger() {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as LogLine);
      done();
    },
  });
  return { log: pino({ level: 'debug' }, stream), lines };
}

/** A promise with its resolve function, to hold a job open. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('Scheduler: adding jobs', () => {
  const { log } = capturingLogger();

  it('lists job names in order and runs a job on demand', async () => {
    const scheduler = new Scheduler({ log });
    const runs: string[] = [];
    scheduler.add('30s', 'a', () => void runs.push('a'));
    scheduler.add('*/5 * * * *', 'b', async () => void runs.push('b'));
    expect(scheduler.names()).toEqual(['a', 'b']);
    await scheduler.runNow('b');
    expect(runs).toEqual(['b']);
  });

  it('rejects a duplicate name', () => {
    const scheduler = new Scheduler({ log });
    scheduler.add('1m', 'ping.monitor', () => {});
    expect(() => scheduler.add('5m', 'ping.monitor', () => {})).toThrow(
      'scheduled job "ping.monitor": a job with this name already exists',
    );
  });

  it('rejects a bad schedule naming the job', () => {
    const scheduler = new Scheduler({ log });
    expect(() => scheduler.add('every minute', 'report', () => {})).toThrow(
      'scheduled job "report": "every minute" is neither a duration (30s, 5m, 1h) nor a cron expression (*/5 * * * *)',
    );
    expect(() => scheduler.add('0s', 'zero', () => {})).toThrow('scheduled job "zero": interval "0s"');
    expect(() => scheduler.add('30d', 'long', () => {})).toThrow('scheduled job "long": interval "30d"');
    expect(() => scheduler.add('0 0 30 2 *', 'never', () => {})).toThrow(
      'scheduled job "never": cron expression "0 0 30 2 *" never runs',
    );
    expect(() => scheduler.add('1m', ' ', () => {})).toThrow('the name must not be empty');
    expect(scheduler.names()).toEqual([]);
  });

  it('rejects runNow of an unknown job', async () => {
    await expect(new Scheduler({ log }).runNow('nope')).rejects.toThrow('no scheduled job named "nope"');
  });
});

describe('Scheduler: running on schedule', () => {
  it('runs interval jobs on every tick after start, not before', async () => {
    vi.useFakeTimers();
    const { log } = capturingLogger();
    const scheduler = new Scheduler({ log });
    let runs = 0;
    scheduler.add('10s', 'count', () => {
      runs++;
    });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(runs).toBe(0);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(runs).toBe(3);
    await scheduler.stop();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(runs).toBe(3);
  });

  it('runs cron jobs at their times', async () => {
    vi.useFakeTimers({ now: new Date('2030-01-01T00:00:30Z') });
    const { log } = capturingLogger();
    const scheduler = new Scheduler({ log });
    const times: string[] = [];
    scheduler.add('* * * * *', 'minutely', () => void times.push(new Date().toISOString()));
    scheduler.start();
    await vi.advanceTimersByTimeAsync(140_000);
    expect(times).toEqual(['2030-01-01T00:01:00.000Z', '2030-01-01T00:02:00.000Z']);
    await scheduler.stop();
  });

  it('runs an immediate job at start, and one added after start', async () => {
    const { log } = capturingLogger();
    const scheduler = new Scheduler({ log });
    const ran: string[] = [];
    const second = gate();
    scheduler.add('1h', 'first', () => void ran.push('first'), { immediate: true });
    scheduler.start();
    scheduler.add('1h', 'second', () => second.open(), { immediate: true });
    await second.opened;
    expect(ran).toEqual(['first']);
    await scheduler.stop();
  });

  it('never overlaps a job with itself: ticks during a run are skipped and logged', async () => {
    vi.useFakeTimers();
    const { log, lines } = capturingLogger();
    const scheduler = new Scheduler({ log });
    const hold = gate();
    let runs = 0;
    let concurrent = 0;
    let maxConcurrent = 0;
    scheduler.add('1s', 'slow', async () => {
      runs++;
      concurrent++;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      if (runs === 1) await hold.opened;
      concurrent--;
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(runs).toBe(1);
    const skipped = lines.filter((line) => line.msg === 'scheduled job skipped: previous run still running');
    expect(skipped).toHaveLength(4);
    expect(skipped[0]).toMatchObject({ level: 20, job: 'slow' });
    hold.open();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(2);
    expect(maxConcurrent).toBe(1);
    await scheduler.stop();
  });

  it('runNow during a run waits for that run instead of starting another', async () => {
    const { log } = capturingLogger();
    const scheduler = new Scheduler({ log });
    const hold = gate();
    const started = gate();
    let runs = 0;
    scheduler.add('1h', 'job', async () => {
      runs++;
      started.open();
      await hold.opened;
    });
    const first = scheduler.runNow('job');
    await started.opened;
    const second = scheduler.runNow('job');
    hold.open();
    await Promise.all([first, second]);
    expect(runs).toBe(1);
  });

  it('logs a throwing job at error level and keeps its schedule', async () => {
    vi.useFakeTimers();
    const { log, lines } = capturingLogger();
    const scheduler = new Scheduler({ log });
    let runs = 0;
    scheduler.add('1m', 'flaky', () => {
      runs++;
      throw new Error(`failure ${runs}`);
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(180_000);
    expect(runs).toBe(3);
    const errors = lines.filter((line) => line.level === 50);
    expect(errors.map((line) => [line.msg, line.job, line.err?.message])).toEqual([
      ['scheduled job failed', 'flaky', 'failure 1'],
      ['scheduled job failed', 'flaky', 'failure 2'],
      ['scheduled job failed', 'flaky', 'failure 3'],
    ]);
    await scheduler.stop();
  });

  it('runNow rejects with the job error, which is logged too', async () => {
    const { log, lines } = capturingLogger();
    const scheduler = new Scheduler({ log });
    scheduler.add('1h', 'broken', async () => {
      throw new Error('disk full');
    });
    await expect(scheduler.runNow('broken')).rejects.toThrow('disk full');
    expect(lines.at(-1)).toMatchObject({ level: 50, job: 'broken', msg: 'scheduled job failed' });
    await scheduler.runNow('broken').catch(() => {});
    expect(lines.filter((line) => line.level === 50)).toHaveLength(2);
  });
});

describe('Scheduler: stopping', () => {
  it('aborts the signal of running jobs and waits for them to finish', async () => {
    const { log } = capturingLogger();
    const scheduler = new Scheduler({ log });
    const started = gate();
    let cleanedUp = false;
    let seenSignal: AbortSignal | undefined;
    scheduler.add(
      '1h',
      'watch',
      async (signal) => {
        seenSignal = signal;
        started.open();
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
        await Promise.resolve();
        cleanedUp = true;
      },
      { immediate: true },
    );
    scheduler.start();
    await started.opened;
    await scheduler.stop();
    expect(seenSignal?.aborted).toBe(true);
    expect(cleanedUp).toBe(true);
  });

  it('gives up waiting on a job that ignores its signal after the stop timeout', async () => {
    vi.useFakeTimers();
    const { log, lines } = capturingLogger();
    const scheduler = new Scheduler({ log, stopTimeoutMs: 2_000 });
    scheduler.add('1h', 'stuck', () => new Promise<void>(() => {}), { immediate: true });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(0);
    let stopped = false;
    const stopping = scheduler.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(stopped).toBe(false);
    await vi.advanceTimersByTimeAsync(1_000);
    await stopping;
    expect(lines.at(-1)).toMatchObject({ level: 40, msg: 'scheduled jobs still running after stop timeout' });
  });

  it('does not keep the process alive with its timers', async () => {
    const { log } = capturingLogger();
    const scheduler = new Scheduler({ log });
    const timers = () => process.getActiveResourcesInfo().filter((type) => type === 'Timeout').length;
    const before = timers();
    scheduler.add('1h', 'interval', () => {});
    scheduler.add('0 3 * * *', 'cron', () => {});
    scheduler.start();
    expect(timers()).toBe(before);
    await scheduler.stop();
  });
});
