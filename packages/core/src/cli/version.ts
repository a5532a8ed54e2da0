import { createRequire } from 'node:module';

const packageJson = createRequire(import.meta.url)('@chatops/core/package.json') as { version: string };

/** The CLI's version (from package.json). */
export const VERSION = packageJson.version;
