const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A number for people: 45,210 / 312 / 2.4 / 0.051. */
export function formatNumber(value) {
  if (value === undefined || value === null || Number.isNaN(value)) return '–';
  const magnitude = Math.abs(value);
  if (magnitude >= 100 || Number.isInteger(value)) return number.format(value);
  if (magnitude >= 10) return value.toFixed(1);
  if (magnitude >= 1) return value.toFixed(2);
  return value.toPrecision(2);
}

/** `median (min–max)` of a summary. */
export function formatSummary(summary) {
  if (!summary) return '–';
  if (summary.runs === 1 || summary.min === summary.max) return formatNumber(summary.median);
  return `${formatNumber(summary.median)} (${formatNumber(summary.min)}–${formatNumber(summary.max)})`;
}

/** Lays rows of cells out in aligned columns under a header. */
export function renderTable(header, rows) {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => String(row[column] ?? '').length)),
  );
  const line = (cells) =>
    cells
      .map((cell, column) => String(cell ?? '').padEnd(widths[column]))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
