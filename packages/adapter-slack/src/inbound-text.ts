import { unescapeText } from './mrkdwn.js';

/**
 * Turns Slack message markup into the command line the user typed: `<#C1|ops>` → `#ops`,
 * `<https://x.io|x.io>` → `x.io`, `<!here>` → `@here`; user mentions stay `<@U123>` (unambiguous ids
 * for plugins); entities are decoded last.
 */
export function commandText(slackText: string): string {
  const text = slackText.replace(/<([^<>]*)>/g, (whole, inner: string) => {
    const [target = '', label] = splitLabel(inner);
    if (target.startsWith('@')) return `<${target}>`;
    if (target.startsWith('#')) return label ? `#${label}` : target;
    if (target.startsWith('!subteam^')) return label ?? '@group';
    if (target.startsWith('!date^')) return label ?? '';
    if (target.startsWith('!')) return `@${target.slice(1)}`;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return label ?? target;
    return whole;
  });
  return unescapeText(text);
}

function splitLabel(inner: string): [string, string | undefined] {
  const bar = inner.indexOf('|');
  if (bar < 0) return [inner, undefined];
  const label = inner.slice(bar + 1);
  return [inner.slice(0, bar), label === '' ? undefined : label];
}

/** Removes mentions of `userId` (`<@U123>` or `<@U123|name>`) and the `:`/`,` that may follow. */
export function stripMention(text: string, userId: string): string {
  const mention = new RegExp(`<@${userId}(?:\\|[^>]*)?>[:,]?`, 'g');
  return text.replace(mention, ' ').replace(/\s+/g, ' ').trim();
}
