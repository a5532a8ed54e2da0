import { fileURLToPath } from 'node:url';
import { defineConfig } from 'rolldown';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Keeps the output ASCII (see `charset` below): escapes the characters `charset` leaves in licence
 * comments, and fails the build on any other, rather than shipping a chunk that costs twice its size.
 */
const asciiOnly = {
  name: 'ascii-only',
  renderChunk(code, chunk) {
    const escaped = code.replace(/\/\*![\s\S]*?\*\//g, (comment) =>
      comment.replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`),
    );
    const left = /[\u0080-\uffff]/.exec(escaped);
    if (left)
      throw new Error(`${chunk.fileName}: non-ASCII character ${JSON.stringify(left[0])} at ${left.index}`);
    return escaped;
  },
};

/**
 * The JavaScript of @chatops/core: tsc compiles `src/` into `.build/` (declarations into `dist/`),
 * then this bundles `.build/` and the CommonJS and ES-module packages it imports into a few files in
 * `dist/`. `chatops start` then reads about 15 files of core instead of several hundred of core's and its
 * packages', which was most of its start time (see bench/README.md, footprint). The entry points share chunks, so
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
  plugins: [asciiOnly],
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
    // V8 keeps each module's source text, two bytes per character once a single one is not ASCII:
    // with non-ASCII characters escaped and doc comments (types live in the .d.ts) left out, the
    // chunks take half the memory.
    charset: 'ascii',
    comments: { legal: true, annotation: true, jsdoc: false },
  },
});
