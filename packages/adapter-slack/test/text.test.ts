import { describe, expect, it } from 'vitest';
import { commandText, stripMention } from '../src/inbound-text.js';
import { splitText } from '../src/message-limits.js';
import { codeBlock, escapedLength, escapeText, unescapeText } from '../src/mrkdwn.js';

describe('escaping outbound text', () => {
  it('escapes only &, < and >, ampersand first', () => {
    expect(escapeText('a & b < c > d &amp;')).toBe('a &amp; b &lt; c &gt; d &amp;amp;');
    expect(escapeText('it\'s "fine"')).toBe('it\'s "fine"');
  });

  it('defuses literal broadcasts', () => {
    expect(escapeText('@channel @here @everyone @channelx')).toBe(
      '@\u200bchannel @\u200bhere @\u200beveryone @channelx',
    );
  });

  it('round-trips with unescape', () => {
    const text = 'if a < b && c > d';
    expect(unescapeText(escapeText(text))).toBe(text);
  });

  it('fences code', () => {
    expect(codeBlock('x < y')).toBe('```\nx &lt; y\n```');
  });
});

describe('splitting text', () => {
  it('splits at line breaks and never exceeds the escaped limit', () => {
    const text = Array.from({ length: 50 }, () => '<<<<< &&&&&').join('\n');
    const chunks = splitText(text, 200, escapedLength);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(escapedLength(chunk)).toBeLessThanOrEqual(200);
    expect(chunks.join('\n')).toBe(text);
  });

  it('hard-cuts a line without break points and keeps surrogate pairs whole', () => {
    const text = '😀'.repeat(300);
    const chunks = splitText(text, 101, escapedLength);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(101);
      expect(chunk).toMatch(/^(😀)+$/u);
    }
  });
});

describe('inbound text', () => {
  it('turns Slack markup into what the user typed', () => {
    expect(commandText('ping <http://uat.internal|uat.internal> in <#C123|ops> for <!here>')).toBe(
      'ping uat.internal in #ops for @here',
    );
    expect(commandText('open <https://example.com/a?b=1&amp;c=2>')).toBe(
      'open https://example.com/a?b=1&c=2',
    );
    expect(commandText('notify <@U123> and <!subteam^S1|@sre> at <!date^1392734382^{date}|Feb 18>')).toBe(
      'notify <@U123> and @sre at Feb 18',
    );
    expect(commandText('run a &amp;&amp; b &lt;x&gt;')).toBe('run a && b <x>');
    expect(commandText('mail <mailto:a@b.io|a@b.io>')).toBe('mail a@b.io');
  });

  it('strips mentions of the bot, with or without a label and trailing colon', () => {
    expect(stripMention('<@UBOT>: ping uat', 'UBOT')).toBe('ping uat');
    expect(stripMention('hey <@UBOT|opsbot> ping', 'UBOT')).toBe('hey ping');
    expect(stripMention('<@UOTHER> ping', 'UBOT')).toBe('<@UOTHER> ping');
  });
});
