// Bundles `.build/` (tsc's output) into `dist/` with rolldown.config.mjs, after removing the
// JavaScript an earlier build left in `dist/` (tsc writes only declarations there).
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'rolldown';
import config from '../rolldown.config.mjs';

const dist = config.output.dir;
const entries = await readdir(dist, { recursive: true, withFileTypes: true }).catch(() => []);
await Promise.all(
  entries
    .filter((entry) => entry.isFile() && /\.js(\.map)?$/.test(entry.name))
    .map((entry) => rm(join(entry.parentPath, entry.name))),
);
await build(config);
