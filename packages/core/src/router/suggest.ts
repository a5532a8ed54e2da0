import { distance } from 'fastest-levenshtein';

/**
 * Up to `limit` command paths closest to what was typed, for "did you mean". Compares the typed words
 * with each path of the same or a neighbouring word count. Only runs for unknown commands.
 */
export function suggestCommands(typed: string, paths: readonly string[], limit = 3): string[] {
  const words = typed.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  const scored: { path: string; score: number }[] = [];
  for (const path of paths) {
    const count = path.split(' ').length;
    const candidate = words.slice(0, count).join(' ');
    const score = distance(candidate, path);
    const allowed = Math.max(2, Math.floor(path.length / 3));
    if (score <= allowed || path.startsWith(`${words[0]} `)) scored.push({ path, score });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.path.localeCompare(b.path))
    .slice(0, limit)
    .map((entry) => entry.path);
}
