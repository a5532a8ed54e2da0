import { fileURLToPath } from 'node:url';

/** Absolute path of an example script in examples/scripts. */
export function exampleScript(name: string): string {
  return fileURLToPath(new URL(`../../../examples/scripts/${name}`, import.meta.url));
}
