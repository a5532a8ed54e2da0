import { hostname } from 'node:os';

/** The name of this replica: the configured `instance`, or the host name when none is configured. */
export function resolveInstance(configured: string | undefined): string {
  return configured ?? hostname();
}
