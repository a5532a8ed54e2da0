import type { Adapter } from '@chatops/core';
import type { SlackEmulator } from '../../src/emulator/index.js';
import type { SlackAdapter } from '../../src/index.js';

/** Waits until Slack has nothing unacknowledged and the adapter has handled everything it took. */
export async function settle(slack: SlackEmulator, bot: { adapter: Adapter }): Promise<void> {
  const adapter = bot.adapter as SlackAdapter;
  for (let round = 0; round < 3; round += 1) {
    await slack.waitUntil(() => slack.outstanding === 0, 'every delivery to be acknowledged');
    await adapter.idle();
  }
}

/** Text of all blocks of a Web API call or stored message, joined (for assertions). */
export function blockText(blocks: unknown): string {
  return JSON.stringify(blocks ?? []);
}
