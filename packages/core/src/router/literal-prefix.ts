const LITERAL = /[A-Za-z0-9_-]/;
const QUANTIFIER = /[?*{]/;
/** Escapes that stand for one literal, non-space character (`\.`, `\-`, `\/`). */
const ESCAPED_LITERAL = /[.\-/:,'"!@#%&=<>~`]/;

/**
 * The literal text every match of `pattern` must start with, lower-cased, when the pattern is anchored
 * at the start of the text (`^deploy (.*)`, `^(?:ship it)`); undefined when it is not, or when matching
 * could start elsewhere (a top-level `|`, the `m` flag) or case folding is not plain ASCII (`iu`, `iv`).
 * The prefix stops before the first space or pattern character, so it lies inside the text's first word.
 */
export function literalPrefix(pattern: RegExp): string | undefined {
  const { flags } = pattern;
  if (flags.includes('m') || (flags.includes('i') && (flags.includes('u') || flags.includes('v'))))
    return undefined;
  const source = pattern.source;
  if (!source.startsWith('^') || hasTopLevelAlternation(source)) return undefined;
  let rest = source.slice(1);
  for (;;) {
    if (rest.startsWith('^')) rest = rest.slice(1);
    else if (rest.startsWith('(?:')) {
      const close = closingParen(rest, 0);
      if (close === undefined) return undefined;
      const inner = rest.slice(3, close);
      const after = rest.slice(close + 1);
      if (hasTopLevelAlternation(inner) || QUANTIFIER.test(after[0] ?? '') || after.startsWith('+'))
        return undefined;
      rest = inner + after;
    } else break;
  }
  let prefix = '';
  for (let i = 0; i < rest.length; ) {
    const char = rest[i]!;
    let literal: string | undefined;
    let width = 1;
    if (LITERAL.test(char)) literal = char;
    else if (char === '\\' && ESCAPED_LITERAL.test(rest[i + 1] ?? '')) {
      literal = rest[i + 1];
      width = 2;
    }
    if (literal === undefined) break;
    // `pings?` only promises `ping`; `ab+` promises `ab` and nothing after.
    const next = rest[i + width] ?? '';
    if (QUANTIFIER.test(next)) break;
    prefix += literal;
    if (next === '+') break;
    i += width;
  }
  return prefix === '' ? undefined : prefix.toLowerCase();
}

/** Whether `source` has a `|` outside every group and character class. */
function hasTopLevelAlternation(source: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (char === '\\') i++;
    else if (inClass) inClass = char !== ']';
    else if (char === '[') inClass = true;
    else if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (char === '|' && depth === 0) return true;
  }
  return false;
}

/** Index of the `)` closing the group that opens at `start`. */
function closingParen(source: string, start: number): number | undefined {
  let depth = 0;
  let inClass = false;
  for (let i = start; i < source.length; i++) {
    const char = source[i];
    if (char === '\\') i++;
    else if (inClass) inClass = char !== ']';
    else if (char === '[') inClass = true;
    else if (char === '(') depth++;
    else if (char === ')' && --depth === 0) return i;
  }
  return undefined;
}
