import { hostname } from 'node:os';

/** The name of this replica: `instance` from the config, else the host name. */
export function resolveInstance(configured: string | undefined): string {
  return configured ?? hostname();
}
