import { fileURLToPath } from 'node:url';
import { defineConfig } from 'rolldown';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The JavaScript of @chatops/core: tsc compiles `src/` into `.build/` (declarations into `dist/`),
 * then this bundles `.build/` and the CommonJS and ES-module packages it imports into a few files in
 * `dist/`. Node then resolves, reads and links about 30 files at start instead of about 650, which
 * is most of the start time (see bench/README.md, footprint). The entry points share chunks, so
 * `@chatops/core`, `/internal` and `/testing` hold the same classes (a plugin's `instanceof
 * UsageError` holds whichever it imported).
 *
 * Left outside the bundle: zod (plugins pass their own schemas in, so there must be one copy), what
 * loads only when configured (ioredis, the AWS SDK, OpenTelemetry's SDK, pino-pretty), and Node's
 * own modules. The OpenTelemetry API is inside: prom-client requires it, and its copies share one
 * registry (a global keyed by its major version), so the SDK loaded later finds what this one set.
 */
export default defineConfig({
  input: {
    index: here('.build/index.js'),
    internal: here('.build/internal.js'),
    'testing/index': here('.build/testing/index.js'),
    'cli/main': here('.build/cli/main.js'),
  },
  platform: 'node',
  external: [
    /^zod(\/|$)/,
    /^ioredis(\/|$)/,
    /^@aws-sdk\//,
    /^@opentelemetry\/(?!api$)/,
    /^pino-pretty(\/|$)/,
  ],
  output: {
    dir: here('dist'),
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
  },
});
