import { createTestBot, type TestBot, type TestMessage } from '@chatops/core/testing';
import { expect, vi } from 'vitest';
import shellPlugin from '../src/index.js';

/**
 * Auth used by the plugin tests: alice and bob are operators (may run the write script `restart`),
 * carol is an admin, dave has no role (read scripts only: no rule names them, so the read default
 * applies). Anyone may press Cancel; it counts for the requester and for admins (`shell.cancel-others.*`).
 */
export const auth = {
  roles: { admin: ['shell:carol'], ops: ['shell:alice', 'shell:bob'] },
  rules: [
    { allow: 'shell.run.restart', roles: ['ops', 'admin'] },
    { allow: 'shell.cancel.*', roles: ['*'] },
    { allow: 'shell.cancel-others.*', roles: ['admin'] },
  ],
  rateLimit: false as const,
};

/** A test robot running the shell plugin with `scripts` (and other plugin settings, more auth rules). */
export function shellBot(
  scripts: Record<string, unknown>,
  settings: Record<string, unknown> = {},
  rules: { allow: string; roles: string[] }[] = [],
): Promise<TestBot> {
  return createTestBot({
    plugins: [[shellPlugin, { scripts, killGrace: '200ms', progress: { after: '1h' }, ...settings }]],
    config: { auth: { ...auth, rules: [...auth.rules, ...rules] }, shutdownTimeout: '100ms' },
  });
}

/** Waits (bounded) until a message whose text matches `pattern` exists, and returns it. */
export async function messageMatching(bot: TestBot, pattern: RegExp): Promise<TestMessage> {
  return vi.waitFor(
    () => {
      const found = bot.messages.find((message) => pattern.test(message.text));
      expect(found, `a message matching ${pattern}`).toBeDefined();
      return found!;
    },
    { timeout: 10_000, interval: 20 },
  );
}
