import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Each module's relative imports (type-only ones too), as paths relative to `src/`. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const specifier =
    /(?:import|export)\s[^;]*?from\s+'(\.{1,2}\/[^']+)\.js'|import\(\s*'(\.{1,2}\/[^']+)\.js'\s*\)/g;
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(specifier)].map((match) =>
      relative(SRC, resolve(dirname(file), `${match[1] ?? match[2]}.ts`)),
    );
    graph.set(relative(SRC, file), [...new Set(targets)]);
  }
  return graph;
}

/** Every cycle found by a depth-first walk, each as the path that closes it. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return found;
}

describe('the shape of core', () => {
  const graph = importGraph();

  it('reads the imports of every module (the walk below is not vacuous)', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('runtime/assemble.ts')).toContain('pipeline/dispatcher.ts');
  });

  it('has no import cycles, direct or through other modules', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('finds a cycle when there is one', () => {
    const circle = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
    ]);
    expect(cycles(circle)).toEqual([['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
  });

  it('lets only the CLI, the testing kit and the internal entry import the robot', () => {
    const importers = [...graph]
      .filter(([, targets]) => targets.includes('runtime/robot.ts'))
      .map(([file]) => file)
      .sort();
    expect(importers.every((file) => /^(cli\/|testing\/|internal\.ts$)/.test(file))).toBe(true);
    expect(importers).toContain('cli/boot.ts');
  });

  it('keeps no loose files at the root of src but the two entry points', () => {
    const loose = readdirSync(SRC, { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name)
      .sort();
    expect(loose).toEqual(['index.ts', 'internal.ts']);
  });

  it('declares no class field as definitely assigned later (`field!: T`)', () => {
    const lateFields = sourceFiles(SRC).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => /^\s+(?:(?:private|protected|public|readonly)\s+)*\w+!:/.test(line))
        .map((line) => `${relative(SRC, file)}: ${line.trim()}`),
    );
    expect(lateFields).toEqual([]);
  });
});
