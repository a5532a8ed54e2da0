import { closest, distance } from 'fastest-levenshtein';
import type { z } from 'zod';
import { formatKeyPath } from './config-error.js';

type Issue = z.core.$ZodIssue;

/** The parts of a zod 4 schema definition needed to find the keys an object accepts. */
interface SchemaNode {
  _zod: {
    def: {
      type: string;
      shape?: Record<string, SchemaNode>;
      innerType?: SchemaNode;
      options?: SchemaNode[];
      valueType?: SchemaNode;
      element?: SchemaNode;
      in?: SchemaNode;
    };
  };
}

/**
 * One line describing what is wrong with `input`, naming the exact key:
 * `audit.fsync: expected boolean, received string` or
 * `audit: unknown key "fsyn" (did you mean "fsync"?)`. Never includes a value from the input.
 *
 * @param schema - The schema that produced the error, used to suggest keys for typos.
 * @param input - The validated data, used to describe what was received.
 */
export function formatZodError(error: z.ZodError, schema: z.ZodType, input: unknown): string {
  const [first, ...rest] = error.issues;
  if (!first) return 'invalid configuration';
  const more = rest.length > 0 ? ` (and ${rest.length} more)` : '';
  return describeIssue(first, [], schema, input) + more;
}

/** `unknown key "audti" (did you mean "audit"?)`, with a suggestion only when one is close. */
export function unknownKeyMessage(key: string, candidates: readonly string[]): string {
  const suggestion = suggestKey(key, candidates);
  return `unknown key "${key}"` + (suggestion ? ` (did you mean "${suggestion}"?)` : '');
}

/** The candidate closest to a mistyped `key`, when it is close enough to be a typo. */
export function suggestKey(key: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const lower = key.toLowerCase();
  const byCase = candidates.find((candidate) => candidate.toLowerCase() === lower);
  if (byCase) return byCase;
  const best = closest(lower, candidates.map((candidate) => candidate.toLowerCase()) as string[]);
  const index = candidates.findIndex((candidate) => candidate.toLowerCase() === best);
  const limit = Math.max(2, Math.ceil(key.length / 3));
  return distance(lower, best) <= limit ? candidates[index] : undefined;
}

/** Keys the object schema at `path` accepts (union of all alternatives). */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let nodes = concrete(schema as unknown as SchemaNode);
  for (const key of path) nodes = nodes.flatMap((node) => concrete(child(node, key)));
  const keys = nodes.flatMap((node) => Object.keys(node._zod.def.shape ?? {}));
  return [...new Set(keys)];
}

function describeIssue(issue: Issue, base: PropertyKey[], schema: z.ZodType, input: unknown): string {
  const path = [...base, ...issue.path];
  const where = formatKeyPath(path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const candidates = knownKeysAt(schema, path);
      return `${where}: ${issue.keys.map((key) => unknownKeyMessage(key, candidates)).join(', ')}`;
    }
    case 'invalid_type':
      return `${where}: ${expectedReceived([issue.expected], valueAt(input, path))}`;
    case 'invalid_union':
      return describeUnion(issue, path, schema, input);
    default:
      return `${where}: ${issue.message.replace(/^(Invalid input|Invalid option|Too big|Too small): /, '')}`;
  }
}

function describeUnion(
  issue: z.core.$ZodIssueInvalidUnion,
  path: PropertyKey[],
  schema: z.ZodType,
  input: unknown,
): string {
  const where = formatKeyPath(path);
  if ('options' in issue && issue.options && issue.errors.length === 0) {
    const options = issue.options.map((option) => JSON.stringify(option)).join(' | ');
    return `${where}: ${valueAt(input, path) === undefined ? 'required, ' : ''}expected one of ${options}`;
  }
  // A branch that failed deeper than the union itself matched the input's shape: report its issue.
  const deep = issue.errors.find((branch) => branch.some((inner) => !isShallow(inner)));
  const deepIssue = deep?.find((inner) => !isShallow(inner));
  if (deepIssue) return describeIssue(deepIssue, path, schema, input);
  const expected = issue.errors.flat().flatMap((inner) => {
    if (inner.code === 'invalid_type') return [inner.expected];
    if (inner.code === 'invalid_value') return inner.values.map((value) => JSON.stringify(value));
    return [];
  });
  return `${where}: ${expectedReceived(expected, valueAt(input, path))}`;
}

function isShallow(issue: Issue): boolean {
  return issue.path.length === 0 && (issue.code === 'invalid_type' || issue.code === 'invalid_value');
}

function expectedReceived(expected: readonly string[], value: unknown): string {
  const wanted = [...new Set(expected)].join(' or ');
  if (value === undefined) return `required (expected ${wanted})`;
  return `expected ${wanted}, received ${typeName(value)}`;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** Unwraps defaults, optionals and pipes, and spreads unions into their alternatives. */
function concrete(node: SchemaNode | undefined): SchemaNode[] {
  if (!node) return [];
  const def = node._zod.def;
  if (def.type === 'union') return (def.options ?? []).flatMap(concrete);
  if (def.type === 'pipe') return concrete(def.in);
  if (def.innerType) return concrete(def.innerType);
  return [node];
}

function child(node: SchemaNode, key: PropertyKey): SchemaNode | undefined {
  const def = node._zod.def;
  if (def.type === 'object') return def.shape?.[String(key)];
  if (def.type === 'record') return def.valueType;
  if (def.type === 'array') return def.element;
  return undefined;
}
