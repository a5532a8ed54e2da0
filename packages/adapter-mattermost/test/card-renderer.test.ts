import type { RenderedCard } from '@chatops/core';
import { describe, expect, it } from 'vitest';
import { asEphemeralText, renderPost } from '../src/render/card-renderer.js';

const options = { actionUrl: 'https://bot.example.com/mattermost/actions', limit: 16383 };

function card(fields: Partial<RenderedCard>): RenderedCard {
  return { actions: [], ...fields };
}

describe('card rendering', () => {
  it('renders a plain reply as an escaped message without attachment', () => {
    const post = renderPost(card({ text: 'pong from *uat* @channel' }), options);
    expect(post).toEqual({ message: 'pong from \\*uat\\* @\u200Bchannel', files: [] });
  });

  it('renders title, status, fields, footer and buttons as one attachment', () => {
    const post = renderPost(
      card({
        title: 'Bucket public',
        status: 'danger',
        text: 'logs-2024 is readable by anyone',
        fields: [{ label: 'Region', value: 'eu-west-1', short: true }],
        footer: 'scan 12:00',
        actions: [
          {
            label: 'Block public access',
            action: 'aws.s3.block',
            style: 'danger',
            effect: 'write',
            token: 'signed-token',
            confirm: { title: 'Sure?', text: 'Block logs-2024?' },
          },
        ],
      }),
      options,
    );
    expect(post.message).toBe('');
    expect(post.attachment).toEqual({
      fallback: 'Bucket public: logs-2024 is readable by anyone',
      color: '#D24B4E',
      title: 'Bucket public',
      text: 'logs-2024 is readable by anyone',
      fields: [{ title: 'Region', value: 'eu-west-1', short: true }],
      footer: 'scan 12:00',
      actions: [
        {
          id: 'action0',
          type: 'button',
          name: 'Block public access',
          style: 'danger',
          integration: {
            url: options.actionUrl,
            context: {
              token: 'signed-token',
              label: 'Block public access',
              confirm: { title: 'Sure?', text: 'Block logs-2024?', ok: 'Block public access' },
            },
          },
        },
      ],
    });
  });

  it('leaves buttons out when there is nowhere to send clicks', () => {
    const post = renderPost(
      card({
        title: 't',
        actions: [{ label: 'Go', action: 'a', style: 'default', effect: 'read', token: 'x' }],
      }),
      { limit: 16383 },
    );
    expect(post.attachment?.actions).toBeUndefined();
  });

  it('renders a table as GFM with escaped cells and code in a safe fence', () => {
    const post = renderPost(
      card({ table: { columns: ['Name', 'State'], rows: [['web|1', 'ok']] }, code: 'echo ```' }),
      options,
    );
    expect(post.message).toBe('| Name | State |\n| --- | --- |\n| web\\|1 | ok |\n\n````\necho ```\n````');
  });

  it('moves output too long for a post into a file', () => {
    const code = Array.from({ length: 3000 }, (_, i) => `line ${i} of output`).join('\n');
    const post = renderPost(card({ text: 'Done', code }), options);
    expect(post.files).toEqual([{ name: 'output.txt', content: code }]);
    expect(post.message).toBe('Done\n\n_Output attached: output.txt (3000 lines)._');
  });

  it('keeps long text in the message, where it can be split', () => {
    const text = 'word '.repeat(5000);
    const post = renderPost(card({ title: 'Report', text }), options);
    expect(post.attachment?.text).toBeUndefined();
    expect(post.message.length).toBeGreaterThan(16383);
  });

  it('flattens a card for ephemeral text', () => {
    const post = renderPost(
      card({ title: 'Denied', text: 'You may not', fields: [{ label: 'Rule', value: 'aws' }] }),
      options,
    );
    expect(asEphemeralText(post)).toBe('**Denied**\nYou may not\nRule: aws');
  });
});
