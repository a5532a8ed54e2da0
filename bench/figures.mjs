import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { benchReadmeFigures, replaceBlock, rootReadmeFigures } from './lib/figures.mjs';

/**
 * `node bench/figures.mjs [--check]`: writes the figures of bench/results/summary.json into
 * bench/README.md and the root README's Performance section; `--check` only says whether they match
 * (exit 1 when a README is out of date). `pnpm bench` runs it after each full run.
 */
const SUMMARY = fileURLToPath(new URL('./results/summary.json', import.meta.url));
const TARGETS = [
  {
    path: fileURLToPath(new URL('./README.md', import.meta.url)),
    block: 'figures',
    render: benchReadmeFigures,
  },
  {
    path: fileURLToPath(new URL('../README.md', import.meta.url)),
    block: 'performance',
    render: rootReadmeFigures,
  },
];

/** The READMEs as they should read for `summary`. */
export async function renderedReadmes(summary) {
  return Promise.all(
    TARGETS.map(async (target) => {
      const current = await readFile(target.path, 'utf8');
      return {
        path: target.path,
        current,
        expected: replaceBlock(current, target.block, target.render(summary)),
      };
    }),
  );
}

export async function readSummary() {
  return JSON.parse(await readFile(SUMMARY, 'utf8'));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  const readmes = await renderedReadmes(await readSummary());
  for (const readme of readmes) {
    if (readme.current === readme.expected) continue;
    if (check) {
      console.error(`${readme.path} does not match bench/results/summary.json; run node bench/figures.mjs`);
      process.exitCode = 1;
    } else {
      await writeFile(readme.path, readme.expected);
      console.log(`updated ${readme.path}`);
    }
  }
}
