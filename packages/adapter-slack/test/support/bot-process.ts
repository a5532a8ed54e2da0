import { fileURLToPath } from 'node:url';

/** This package's directory: `@chatops/adapter-slack` resolves from here to this package. */
export const packageDir = fileURLToPath(new URL('../..', import.meta.url));
