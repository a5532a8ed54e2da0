import type { AdapterTestBot } from '@chatops/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlackEmulator } from '../src/emulator/index.js';
import { state } from './fixtures/ops-plugin.mjs';
import { startRobot } from './support/robot.js';
import { blockText } from './support/settle.js';

describe('channel rules on Slack: a bare id matches that channel only, never a channel named like it', () => {
  let slack: SlackEmulator;
  let bot: AdapterTestBot | undefined;

  beforeEach(async () => {
    state.runs.length = 0;
    slack = await SlackEmulator.start();
  });
  afterEach(async () => {
    await bot?.close();
    bot = undefined;
    await slack.close();
  });

  async function robotAllowingOpsById() {
    const ops = slack.channel('ops');
    const impostor = slack.addChannel({ name: ops.id.toLowerCase() });
    bot = await startRobot(slack, {
      auth: { rules: [{ allow: 'ops.ping', roles: ['*'], channels: [ops.id] }] },
    });
    return { ops, impostor };
  }

  it('refuses a slash command from a channel named like the allowed id, without naming the id', async () => {
    const { ops, impostor } = await robotAllowingOpsById();
    slack.slashCommand({ user: 'alice', channel: impostor.name, text: 'ping db' });
    const [refusal] = await slack.waitForCall('response_url');
    expect(refusal!.args).toMatchObject({ response_type: 'ephemeral' });
    const text = JSON.stringify(refusal!.args);
    expect(text).toContain('allowed only in one specific channel');
    expect(text.toLowerCase()).not.toContain(ops.id.toLowerCase());
    expect(state.runs).toEqual([]);

    slack.slashCommand({ user: 'alice', channel: 'ops', text: 'ping db' });
    await slack.waitForCall('response_url', { count: 2 });
    expect(state.runs).toEqual(['ping db']);
  });

  it('refuses a mention in a channel named like the allowed id', async () => {
    const { impostor } = await robotAllowingOpsById();
    slack.mention({ user: 'alice', channel: impostor.name, text: 'ping db' });
    const [ephemeral] = await slack.waitForCall('chat.postEphemeral');
    expect(ephemeral!.args).toMatchObject({ channel: impostor.id });
    expect(blockText(ephemeral!.args.blocks)).toContain('allowed only in one specific channel');
    expect(state.runs).toEqual([]);
  });
});
