/** One declared positional argument. */
export interface PositionalSpec {
  name: string;
  required: boolean;
  variadic: boolean;
  type: 'string' | 'number';
}

const TOKEN = /^([<[])([a-zA-Z][\w-]*)(\.\.\.)?(?::(string|number))?([>\]])$/;

/** Parses `'<target> [count:number] [rest...]'` into positional specs; throws on a malformed spec. */
export function parsePositionals(spec: string | undefined, command: string): PositionalSpec[] {
  if (!spec?.trim()) return [];
  const parts = spec.trim().split(/\s+/);
  return parts.map((part, index) => {
    const match = TOKEN.exec(part);
    if (!match || (match[1] === '<') !== (match[5] === '>')) {
      throw new Error(`command "${command}": bad args spec "${part}" (use <name>, [name], <name...>)`);
    }
    const variadic = Boolean(match[3]);
    if (variadic && index !== parts.length - 1) {
      throw new Error(`command "${command}": only the last argument may be variadic`);
    }
    return {
      name: match[2]!,
      required: match[1] === '<',
      variadic,
      type: (match[4] as 'string' | 'number' | undefined) ?? 'string',
    };
  });
}
