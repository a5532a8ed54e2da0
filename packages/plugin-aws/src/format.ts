import type { Card } from '@chatops/core';

/** `1,200`. */
export function count(value: number): string {
  return value.toLocaleString('en-US');
}

/** `3 buckets`, `1 bucket`. */
export function plural(value: number, noun: string): string {
  return `${count(value)} ${noun}${value === 1 ? '' : 's'}`;
}

/** `2024-06-01` from an ISO time. */
export function day(iso: string): string {
  return iso.slice(0, 10);
}

/** `2024-06-01 12:00 UTC`. */
export function minute(time: number | string): string {
  return `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Whole days between an ISO time and now: `412 d`. */
export function ageInDays(iso: string, now: number): string {
  return `${Math.max(0, Math.floor((now - Date.parse(iso)) / 86_400_000))} d`;
}

function csvCell(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * A table of at most `maxRows` rows; longer lists also come whole as a CSV file, with a note saying so.
 */
export function tableWithFile(
  columns: string[],
  rows: string[][],
  maxRows: number,
  fileName: string,
): Pick<Card, 'table' | 'file'> & { note?: string } {
  if (rows.length === 0) return {};
  if (rows.length <= maxRows) return { table: { columns, rows } };
  const content = [columns, ...rows].map((row) => row.map(csvCell).join(',')).join('\n');
  return {
    table: { columns, rows: rows.slice(0, maxRows) },
    file: { name: fileName, content: `${content}\n`, title: fileName },
    note: `Showing ${count(maxRows)} of ${count(rows.length)}; the full list is in ${fileName}.`,
  };
}
