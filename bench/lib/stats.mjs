/** Nearest-rank percentile of numbers (sorted copy), `p` in 0..100. */
export function percentile(values, p) {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** Median of numbers. */
export function median(values) {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Median, min and max of repeated measurements. */
export function summarize(values) {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), runs: values.length };
}

/** {@link summarize} of every numeric key of the first run, over all the runs. */
export function summarizeRuns(runs) {
  const summary = {};
  for (const key of Object.keys(runs[0])) {
    if (typeof runs[0][key] === 'number') summary[key] = summarize(runs.map((run) => run[key]));
  }
  return summary;
}
