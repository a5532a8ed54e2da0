import { connect, isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { CheckFailure } from './check-failure.js';
import { type ConnectionPhase, describeNetworkError, timeoutFailure } from './network-failure.js';

/** Opens a TCP connection and closes it again; resolves with the time it took to connect. */
export function tcpConnect(
  host: string,
  port: number,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<number> {
  const started = performance.now();
  let phase: ConnectionPhase = isIP(host) ? 'connecting' : 'resolving';
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      outcome();
    };
    const fail = (error: unknown) => finish(() => reject(describeNetworkError(error, { host, port }, phase)));
    const onAbort = () => fail(new CheckFailure('timeout', 'check cancelled'));
    const timer = setTimeout(() => fail(timeoutFailure(timeoutMs, phase)), timeoutMs);
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('lookup', () => {
      phase = 'connecting';
    });
    socket.once('connect', () => finish(() => resolve(performance.now() - started)));
    socket.on('error', fail);
  });
}
