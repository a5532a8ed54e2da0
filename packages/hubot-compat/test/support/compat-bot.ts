import { fileURLToPath } from 'node:url';
import type { ChatopsConfigInput, Store } from '@chatops/core';
import { createTestBot, type TestBot } from '@chatops/core/testing';

/** The folder the test configs live in: package names and `path:` entries resolve from here. */
export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** A robot on the in-memory adapter with a `hubot:` block, loading `@chatops/hubot-compat` by name. */
export function compatBot(
  hubot: Record<string, unknown>,
  options: { config?: Partial<ChatopsConfigInput>; store?: Store } = {},
): Promise<TestBot> {
  return createTestBot({
    configDir: FIXTURES,
    config: { ...options.config, hubot },
    ...(options.store ? { store: options.store } : {}),
  });
}
