import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of a test fixture. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
}

/**
 * True while `pid` is a live process. A zombie does not count: killed orphans are re-parented to PID 1,
 * and whether it reaps them is up to the host's init, not the bot.
 */
export function isRunning(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}

/** The pid printed by a fixture as `<label> <pid>`. */
export function printedPid(output: string, label: string): number {
  const match = new RegExp(`^${label} (\\d+)$`, 'm').exec(output);
  if (!match) throw new Error(`no "${label} <pid>" line in output: ${output}`);
  return Number(match[1]);
}
