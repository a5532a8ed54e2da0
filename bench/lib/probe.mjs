// Preloaded into a bot by the benchmarks (`node [--expose-gc] --import <this file> …`). It samples the
// event loop every 10 ms (how late each tick ran) and, on SIGUSR2, runs a full GC (when --expose-gc is
// given) and reports memory and the delay samples since the last report on stderr as `BENCH_PROBE {…}`.
// The 10 ms interval is Node's default for monitorEventLoopDelay: a blocked loop shows as one late
// sample among fewer, so p99 is stricter than with finer sampling.
const INTERVAL_MS = 10;
let samples = [];
let last = performance.now();
setInterval(() => {
  const now = performance.now();
  samples.push(Math.max(0, now - last - INTERVAL_MS));
  last = now;
}, INTERVAL_MS).unref();

process.on('SIGUSR2', () => {
  const delays = samples.map((delay) => Math.round(delay * 100) / 100);
  samples = [];
  globalThis.gc?.();
  process.stderr.write(`\nBENCH_PROBE ${JSON.stringify({ memory: process.memoryUsage(), delays })}\n`);
});
