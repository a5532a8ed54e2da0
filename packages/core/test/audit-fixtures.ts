import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEntry } from '../src/audit/index.js';

/** A decision entry by `slack:U1` (alice) unless overridden. */
export function auditEntry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: 'c0ffee',
    event: 'decision',
    principal: 'slack:U1',
    name: 'alice',
    platform: 'slack',
    conversation: { id: 'C1', name: '#ops' },
    kind: 'command',
    target: 'ping',
    permission: 'ping.ping',
    effect: 'read',
    args: { _: ['uat'] },
    decision: 'allowed',
    ...overrides,
  };
}

/** Temporary directories for a test file: `make()` one, `removeAll()` in `afterEach`. */
export function tempDirs(): { make: () => Promise<string>; removeAll: () => Promise<void> } {
  const dirs: string[] = [];
  return {
    make: async () => {
      const dir = await mkdtemp(join(tmpdir(), 'chatops-audit-'));
      dirs.push(dir);
      return dir;
    },
    removeAll: async () => {
      await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}
