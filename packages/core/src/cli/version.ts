import { createRequire } from 'node:module';

/** @chatops/core's package.json (read through the package's own name, wherever this file lands). */
export const corePackage = createRequire(import.meta.url)('@chatops/core/package.json') as {
  version: string;
  dependencies: Record<string, string>;
};

/** The CLI's version (from package.json). */
export const VERSION = corePackage.version;
