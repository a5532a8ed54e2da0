import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { formatDuration } from '@chatops/core';
import { CheckFailure } from './check-failure.js';
import { checkExpectation } from './expectation.js';
import { httpExchange } from './http-exchange.js';
import { tcpConnect } from './tcp-connect.js';
import type { CheckResult, CheckTarget, HttpTarget } from './types.js';

/** Options of one check. */
export interface CheckOptions {
  /** The robot's clock, for `checkedAt`. */
  now: () => number;
  signal?: AbortSignal;
}

/** Checks a target once. Never rejects: every failure becomes an unhealthy result with a reason. */
export async function checkTarget(target: CheckTarget, options: CheckOptions): Promise<CheckResult> {
  const checkedAt = options.now();
  const started = performance.now();
  const base = { target: target.name, endpoint: describeEndpoint(target), checkedAt };
  try {
    const { latencyMs, statusCode } = await probe(target, options.signal);
    const result: CheckResult = { ...base, health: 'healthy', latencyMs: Math.round(latencyMs) };
    if (statusCode !== undefined) result.statusCode = statusCode;
    if (target.degradedAfterMs !== undefined && latencyMs > target.degradedAfterMs) {
      result.health = 'degraded';
      result.reason = `slow: took ${formatDuration(latencyMs)}, over the ${formatDuration(target.degradedAfterMs)} threshold`;
    }
    return result;
  } catch (error) {
    const failure =
      error instanceof CheckFailure ? error : new CheckFailure('network', `check failed: ${String(error)}`);
    const result: CheckResult = {
      ...base,
      health: 'unhealthy',
      latencyMs: Math.round(performance.now() - started),
      failure: failure.kind,
      reason: failure.message,
    };
    if (failure instanceof ResponseFailure) result.statusCode = failure.statusCode;
    return result;
  }
}

/** A response arrived but did not meet the expectation. */
class ResponseFailure extends CheckFailure {
  constructor(
    failure: CheckFailure,
    readonly statusCode: number,
  ) {
    super(failure.kind, failure.message);
  }
}

async function probe(target: CheckTarget, signal?: AbortSignal) {
  if (target.kind === 'tcp') {
    return { latencyMs: await tcpConnect(target.host, target.port, target.timeoutMs, signal) };
  }
  const response = await httpExchange(httpRequestOf(target, signal));
  const failure = checkExpectation(target.expect, response);
  if (failure) throw new ResponseFailure(failure, response.statusCode);
  return { latencyMs: response.latencyMs, statusCode: response.statusCode };
}

function httpRequestOf(target: HttpTarget, signal?: AbortSignal) {
  return {
    url: target.url,
    method: target.method,
    headers: target.headers,
    timeoutMs: target.timeoutMs,
    tls: target.tls,
    ...(signal ? { signal } : {}),
  };
}

/** The target's address for people: the URL without credentials, query or fragment, or `tcp://host:port`. */
export function describeEndpoint(target: CheckTarget): string {
  if (target.kind === 'tcp') {
    const host = isIP(target.host) === 6 ? `[${target.host}]` : target.host;
    return `tcp://${host}:${target.port}`;
  }
  const shown = new URL(target.url.href);
  shown.username = '';
  shown.password = '';
  shown.search = '';
  shown.hash = '';
  return shown.href;
}
