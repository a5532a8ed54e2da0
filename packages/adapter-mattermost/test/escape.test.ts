import { describe, expect, it } from 'vitest';
import {
  codeBlock,
  escapeMarkdown,
  escapePlain,
  inlineCode,
  neutralizeMentions,
} from '../src/render/escape.js';

describe('escaping', () => {
  it('disarms @channel, @all and @here in any case, leaving other mentions and addresses alone', () => {
    const text = neutralizeMentions('@channel @ALL @here @alice mail@allhands.example @channels');
    expect(text).not.toMatch(/@(channel|all|here)\b/i);
    expect(text).toContain('@\u200Bchannel');
    expect(text).toContain('@alice');
    expect(text).toContain('mail@allhands.example');
    expect(text).toContain('@channels');
  });

  it('escapes Markdown so script text renders literally', () => {
    expect(escapeMarkdown('*bold* _it_ `code` [link](http://x) ~town <b> a|b #tag')).toBe(
      '\\*bold\\* \\_it\\_ \\`code\\` \\[link\\](http://x) \\~town \\<b\\> a\\|b \\#tag',
    );
    expect(escapeMarkdown('- item\n1. first\n> quote\n===')).toBe('\\- item\n1\\. first\n\\> quote\n\\===');
    expect(escapeMarkdown('a\\*b')).toBe('a\\\\\\*b');
  });

  it('disarms mentions in escaped Markdown and plain text alike', () => {
    expect(escapeMarkdown('hey @here')).toBe('hey @\u200Bhere');
    expect(escapePlain('*@all*')).toBe('*@\u200Ball*');
  });

  it('fences code with more backticks than it contains', () => {
    expect(codeBlock('a ``` b\n')).toBe('````\na ``` b\n````');
    expect(codeBlock('plain')).toBe('```\nplain\n```');
    expect(inlineCode('a`b')).toBe('``a`b``');
    expect(inlineCode('`x')).toBe('`` `x ``');
  });
});
